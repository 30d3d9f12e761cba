using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebhookProcessor.Azure;
using WebhookProcessor.Catalog;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Azure;

/// <summary>The Table client as <c>AddTableStorage</c> registers it through <c>AddAzureClients</c>.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableStorageRegistrationTests(AzuriteServer azurite)
{
    [Fact]
    public async Task AddTableStorage_ConnectionString_StoresWorkAgainstThatAccount()
    {
        await using var provider = Build(new() { ["Storage:Tables:ConnectionString"] = azurite.ConnectionString }, credential: null);

        var store = provider.GetRequiredService<ITemplateStore>();

        // The tables are the deployment's own ("wp…"), shared with other tests of this Azurite: read an id nobody writes.
        Assert.Null(await store.GetTemplateAsync(long.MaxValue - 7));
        Assert.Contains(provider.GetRequiredService<TableNames>().Catalog, await TableNamesAsync());
    }

    [Fact]
    public async Task AddTableStorage_EndpointAndACredentialInTheContainer_AsksThatCredentialForAStorageToken()
    {
        var credential = new RefusingCredential();
        await using var provider = Build(new() { ["Storage:Tables:Endpoint"] = "https://127.0.0.1:9/" }, credential);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.GetRequiredService<ITemplateStore>().GetTemplateAsync(1));

        Assert.Same(RefusingCredential.Refusal, error);
        Assert.Equal(["https://storage.azure.com/.default"], credential.Scopes.Distinct());
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, TokenCredential? credential)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        if (credential is not null)
        {
            services.AddSingleton(credential);
        }

        services.AddTableStorage();
        return services.BuildServiceProvider();
    }

    private async Task<List<string>> TableNamesAsync()
    {
        var names = new List<string>();
        await foreach (var table in azurite.CreateClient().QueryAsync())
        {
            names.Add(table.Name);
        }

        return names;
    }

    /// <summary>Records the scopes asked for and refuses, so no request leaves the process.</summary>
    private sealed class RefusingCredential : TokenCredential
    {
        public static readonly InvalidOperationException Refusal = new("No tokens in this test.");

        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            throw Refusal;
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
