using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>Talks to a running service the way Meta and an operator do.</summary>
public sealed class ServiceClient(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public HttpClient Http => _http;

    public Task<HttpResponseMessage> PostWebhookAsync(string body, string secret = TestSecrets.AppSecret) =>
        PostWebhookAsync(Encoding.UTF8.GetBytes(body), secret);

    public async Task<HttpResponseMessage> PostWebhookAsync(byte[] body, string? secret = TestSecrets.AppSecret, string? signature = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookEndpoints.Route) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        var header = signature ?? (secret is null ? null : SignatureVerifier.Sign(secret, body));
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(SignatureVerifier.HeaderName, header);
        }

        return await _http.SendAsync(request);
    }

    public async Task<JsonElement> GetOpsAsync(string pathAndQuery, string? key = TestSecrets.OpsKey)
    {
        using var response = await SendOpsAsync(pathAndQuery, key);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {pathAndQuery} answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<HttpResponseMessage> SendOpsAsync(string pathAndQuery, string? key = TestSecrets.OpsKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return await _http.SendAsync(request);
    }

    /// <summary>Any ops call with an optional JSON body; the caller reads and disposes the response.</summary>
    public async Task<HttpResponseMessage> SendOpsAsync(HttpMethod method, string pathAndQuery, object? body = null, string? key = TestSecrets.OpsKey)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await _http.SendAsync(request);
    }

    public async Task<JsonElement> HealthAsync() => (await _http.GetFromJsonAsync<JsonElement>("/healthz"));

    /// <summary>Every event in history, following cursors to the end.</summary>
    public async Task<List<JsonElement>> AllEventsAsync(string filter = "")
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await GetOpsAsync($"/api/events?limit=500{filter}{(cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor))}");
            items.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return items;
    }

    /// <summary>Starts a reconciliation of one account through the ops API and waits for the run to end; returns the run.</summary>
    public async Task<JsonElement> ReconcileAsync(string wabaId, TimeSpan timeout)
    {
        using var started = await SendOpsAsync(HttpMethod.Post, "/api/reconciliations", new { wabaId });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        return await Eventually.Until(
            () => GetOpsAsync($"/api/reconciliations/{id}"),
            r => r.GetProperty("status").GetString() != "running",
            timeout,
            $"reconciliation run {id} to end");
    }

    /// <summary>Waits until the worker has drained the queue.</summary>
    public Task WaitForIdleAsync(TimeSpan? timeout = null) =>
        Eventually.Until(HealthAsync, h => h.GetProperty("queueDepth").GetInt64() == 0, timeout ?? TimeSpan.FromSeconds(30), "an empty queue");

    public void Dispose() => _http.Dispose();
}
