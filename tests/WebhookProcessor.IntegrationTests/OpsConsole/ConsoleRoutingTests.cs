using System.Net;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.OpsConsole;

/// <summary>The console's HTTP contract without a browser: where it sends a stranger, its headers, and the read-only keys in the API.</summary>
public sealed class ConsoleRoutingTests : IAsyncLifetime
{
    private const string ReadOnlyKey = "integration-read-only-key-0123456789";

    private InProcessService _service = null!;

    public async Task InitializeAsync() =>
        _service = await InProcessService.StartAsync(new Dictionary<string, string?> { ["Ops:ReadOnlyApiKeys:0"] = ReadOnlyKey });

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Theory]
    [InlineData("/console", "/console/sign-in?returnUrl=%2Fconsole")]
    [InlineData("/api/console", "/api/console/sign-in?returnUrl=%2Fapi%2Fconsole")]
    public async Task Console_NotSignedIn_RedirectsToSignInUnderTheSamePrefix(string path, string expected)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = _service.Client.Http.BaseAddress };

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith(expected, response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInPage_Headers_AreStrict()
    {
        using var response = await _service.Client.Http.GetAsync("/console/sign-in");

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task OpsApi_ReadOnlyKey_ReadsButCannotChange()
    {
        using var read = await _service.Client.SendOpsAsync("/api/templates", ReadOnlyKey);
        using var write = await _service.Client.SendOpsAsync(HttpMethod.Put, "/api/owners/ro-test", new { displayName = "X", emails = new[] { "x@example.com" } }, ReadOnlyKey);
        using var retry = await _service.Client.SendOpsAsync(HttpMethod.Post, "/api/notifications/abc/retry", null, ReadOnlyKey);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, retry.StatusCode);
        Assert.Contains("Ops:ReadOnlyApiKeys", await write.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
