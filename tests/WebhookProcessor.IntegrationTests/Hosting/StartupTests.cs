using Microsoft.Extensions.Options;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Hosting;

public sealed class StartupTests
{
    [Fact]
    public async Task Process_WithoutAppSecret_RefusesToStartNamingTheKey()
    {
        using var process = ServiceProcess.StartRaw(
            new Dictionary<string, string?>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Meta__VerifyToken"] = TestSecrets.VerifyToken,
                ["Ops__ApiKeys__0"] = TestSecrets.OpsKey,
                ["Storage__Sqlite__Path"] = Path.Combine(Path.GetTempPath(), "wp-start-" + Guid.NewGuid().ToString("N")),
            },
            "--urls", "http://127.0.0.1:0");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("Meta:AppSecrets", await errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", await output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Meta:AppSecrets:0", "dev-only-app-secret-do-not-use-in-production")]
    [InlineData("Meta:VerifyToken", "dev-only-verify-token")]
    [InlineData("Ops:ApiKeys:0", "dev-only-ops-api-key-0123456789")]
    public async Task InProcess_DevelopmentSecretOutsideDevelopment_FailsNamingTheKey(string key, string value)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => StartWith(new() { [key] = value }));

        Assert.Contains(key, Failures(failure), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Ops:ApiKeys:0", "short", "Ops:ApiKeys")]
    [InlineData("Meta:VerifyToken", "", "Meta:VerifyToken")]
    [InlineData("Queue:MaxDeliveryCount", "0", "Queue:MaxDeliveryCount")]
    [InlineData("History:RetentionDays", "-3", "History:RetentionDays")]
    [InlineData("Queue:Provider", "RabbitMq", "Queue:Provider")]
    [InlineData("Storage:Provider", "Cosmos", "Storage:Provider")]
    [InlineData("Queue:Provider", "ServiceBus", "Storage:Provider")]
    [InlineData("Storage:Provider", "AzureTables", "Storage:Tables:ConnectionString")]
    [InlineData("Notifications:Smtp:Port", "70000", "Notifications:Smtp:Port")]
    [InlineData("RateLimiting:PermitLimit", "0", "RateLimiting:PermitLimit")]
    [InlineData("RateLimiting:Window", "00:00:00", "RateLimiting:Window")]
    [InlineData("Meta:AppSecrets:0", "a", "Meta:AppSecrets:0")]
    [InlineData("Meta:AppSecrets:1", "fifteen-chars-x", "Meta:AppSecrets:1")]
    [InlineData("Meta:VerifyToken", "b", "Meta:VerifyToken")]
    [InlineData("Meta:VerifyToken", "fifteen-chars-x", "Meta:VerifyToken")]
    [InlineData("Ops:ApiKeys:0", "twenty-three-characters", "Ops:ApiKeys:0")]
    [InlineData("Meta:AppSecrets:0", "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/meta-app-secret/)", "Meta:AppSecrets:0")]
    [InlineData("Notifications:Smtp:Password", "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/smtp/)", "Notifications:Smtp:Password")]
    [InlineData("Meta:GraphApi:BaseUrl", "http://graph.facebook.com", "Meta:GraphApi:BaseUrl")]
    [InlineData("Meta:GraphApi:Version", "23", "Meta:GraphApi:Version")]
    [InlineData("Meta:GraphApi:CallsPerHourPerAccount", "0", "Meta:GraphApi:CallsPerHourPerAccount")]
    [InlineData("Meta:GraphApi:AccessToken", "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/graph/)", "Meta:GraphApi:AccessToken")]
    [InlineData("Meta:Accounts:0", "not-an-id", "Meta:Accounts:0")]
    public async Task InProcess_InvalidSetting_FailsNamingTheKey(string key, string value, string named)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => StartWith(new() { [key] = value }));

        Assert.Contains(named, Failures(failure), StringComparison.Ordinal);
    }

    private static async Task StartWith(Dictionary<string, string?> settings)
    {
        await using var service = await InProcessService.StartAsync(settings);
    }

    private static string Failures(Exception failure) => failure switch
    {
        OptionsValidationException options => string.Join(" | ", options.Failures),
        AggregateException aggregate => string.Join(" | ", aggregate.InnerExceptions.Select(Failures)),
        _ => failure.Message,
    };
}
