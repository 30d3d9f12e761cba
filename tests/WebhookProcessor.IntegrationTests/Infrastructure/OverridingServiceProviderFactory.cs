using Microsoft.Extensions.DependencyInjection;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>Applies a test's registrations after all of the app's, so the last registration (the test's) wins.</summary>
public sealed class OverridingServiceProviderFactory(Action<IServiceCollection> overrides) : IServiceProviderFactory<IServiceCollection>
{
    private readonly DefaultServiceProviderFactory _inner = new();

    public IServiceCollection CreateBuilder(IServiceCollection services)
    {
        overrides(services);
        return _inner.CreateBuilder(services);
    }

    public IServiceProvider CreateServiceProvider(IServiceCollection containerBuilder) => _inner.CreateServiceProvider(containerBuilder);
}
