using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WebhookProcessor.Health;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Ops;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.IntegrationTests.Ops;

/// <summary>The OpenAPI document the running app serves, compared with the routes the same app maps.</summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private InProcessService _service = null!;

    public async Task InitializeAsync() => _service = await InProcessService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Document_EveryOpsRoute_IsDescribedWithTheApiKeyAndItsProblems()
    {
        var paths = (await FetchAsync(OpenApiRegistration.Route)).GetProperty("paths");
        var ops = OpsRoutes();
        Assert.True(ops.Count >= 17, $"Only {ops.Count} ops routes found; the enumeration is broken.");

        foreach (var (route, method) in ops)
        {
            Assert.True(paths.TryGetProperty(route, out var path), $"{route} is not in the document.");
            Assert.True(path.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{method} {route} is not in the document.");
            var security = operation.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToList();
            Assert.Contains(OpenApiRegistration.ApiKeyScheme, security);
            var responses = operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty("401", out var unauthorized), $"{method} {route} does not declare 401.");
            Assert.True(unauthorized.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{method} {route}: 401 is not a problem.");
            Assert.True(responses.TryGetProperty("429", out _), $"{method} {route} does not declare 429.");
            // A read-only key is refused (403) exactly on the routes that change something.
            Assert.Equal(method != HttpMethods.Get, responses.TryGetProperty("403", out _));
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{method} {route} has no summary.");
        }
    }

    [Fact]
    public async Task Document_ApiKeyScheme_IsTheHeaderTheFilterReads()
    {
        var scheme = (await FetchAsync(OpenApiRegistration.Route)).GetProperty("components").GetProperty("securitySchemes").GetProperty(OpenApiRegistration.ApiKeyScheme);

        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal(ApiKeyFilter.HeaderName, scheme.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData(WebhookEndpoints.Route, "get")]
    [InlineData(WebhookEndpoints.Route, "post")]
    [InlineData(OpsEndpoints.HealthRoute, "get")]
    [InlineData("/api" + OpsEndpoints.HealthRoute, "get")]
    [InlineData(HealthEndpoints.LiveRoute, "get")]
    [InlineData(HealthEndpoints.ReadyRoute, "get")]
    [InlineData("/api" + HealthEndpoints.LiveRoute, "get")]
    [InlineData("/api" + HealthEndpoints.ReadyRoute, "get")]
    public async Task Document_WebhookAndHealth_AreDescribedWithoutTheApiKey(string route, string method)
    {
        var operation = (await FetchAsync(OpenApiRegistration.Route)).GetProperty("paths").GetProperty(route).GetProperty(method);

        Assert.False(operation.TryGetProperty("security", out _), $"{method} {route} asks for the API key.");
        Assert.False(operation.GetProperty("responses").TryGetProperty("429", out _));
    }

    [Fact]
    public async Task Document_ValidationAndNotFound_AreDeclaredWhereTheyHappen()
    {
        var paths = (await FetchAsync(OpenApiRegistration.Route)).GetProperty("paths");

        Assert.True(paths.GetProperty("/api/events").GetProperty("get").GetProperty("responses").GetProperty("400").GetProperty("content").TryGetProperty("application/problem+json", out _));
        Assert.True(paths.GetProperty("/api/templates/{templateId}").GetProperty("get").GetProperty("responses").TryGetProperty("404", out _));
        Assert.True(paths.GetProperty("/api/owners/{ownerId}").GetProperty("put").GetProperty("responses").TryGetProperty("409", out _));
    }

    [Fact]
    public async Task Document_WithoutKeyAndUnderTheFunctionsPrefix_IsServedAndHoldsNoSecret()
    {
        foreach (var route in new[] { OpenApiRegistration.Route, OpenApiRegistration.FunctionsRoute })
        {
            using var response = await _service.Client.Http.GetAsync(route);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Contains("\"/api/templates\"", text, StringComparison.Ordinal);
            foreach (var secret in new[] { TestSecrets.OpsKey, TestSecrets.AppSecret, TestSecrets.VerifyToken })
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Document_ConsoleAndFunctionTriggers_AreLeftOut()
    {
        var paths = (await FetchAsync(OpenApiRegistration.Route)).GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.DoesNotContain(paths, p => p.StartsWith("/console", StringComparison.Ordinal) || p.StartsWith("/openapi", StringComparison.Ordinal) || p.StartsWith("/api/openapi", StringComparison.Ordinal));
        string[] health = [OpsEndpoints.HealthRoute, HealthEndpoints.LiveRoute, HealthEndpoints.ReadyRoute];
        Assert.All(paths, p => Assert.True(p.StartsWith("/api/", StringComparison.Ordinal) || health.Contains(p), $"{p} is neither an /api route nor a health check."));
    }

    /// <summary>
    /// Every (route, method) the running app maps under /api behind the API key, read from its endpoint data
    /// source: everything but the webhook, the health check and the document itself. (The Functions trigger
    /// routes, /{FunctionName}, are not under /api and are mapped only under the Functions host.)
    /// </summary>
    private List<(string Route, string Method)> OpsRoutes()
    {
        var exempt = new HashSet<string>(StringComparer.Ordinal) { WebhookEndpoints.Route, "/api" + OpsEndpoints.HealthRoute, "/api" + HealthEndpoints.LiveRoute, "/api" + HealthEndpoints.ReadyRoute, OpenApiRegistration.FunctionsRoute };
        return _service.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => (Route: "/" + e.RoutePattern.RawText!.TrimStart('/'), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []))
            .Where(e => e.Route.StartsWith("/api/", StringComparison.Ordinal) && !exempt.Contains(e.Route))
            .SelectMany(e => e.Methods.Select(m => (e.Route, m)))
            .ToList();
    }

    private async Task<JsonElement> FetchAsync(string route)
    {
        using var response = await _service.Client.Http.GetAsync(route);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
