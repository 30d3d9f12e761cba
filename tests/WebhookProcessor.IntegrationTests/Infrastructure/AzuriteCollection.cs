namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>One Azurite for every test class in the collection.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteServer>
{
    public const string Name = "Azurite";
}
