using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using WebhookProcessor.Ops;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.Tools;

/// <summary>
/// <c>WebhookProcessor smoke --url BASE …</c>: a check to run after a deployment. It posts a signed
/// webhook about a template no one owns (a fresh id, so its event id is new and it cannot alert anybody),
/// then asks the ops API until that event is in history, and prints each step with its time. The whole
/// path runs: intake, queue, processing, store and ops API. Exit code 0 only when every step passed.
/// </summary>
public static class SmokeCommand
{
    public const string Name = "smoke";

    /// <summary>Smoke-check templates get ids from here up, far above Meta's (16 digits today), so they never meet a real one.</summary>
    public const long TemplateIdBase = 9_000_000_000_000_000_000;

    public const string TemplateName = "smoke_check";

    private const string FunctionKeyHeader = "x-functions-key";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private const string Usage = """
        Usage: WebhookProcessor smoke --url BASE [--secret SECRET] [--api-key KEY] [--function-key KEY] [--timeout SECONDS]

        Posts a signed test webhook to BASE/api/webhooks/whatsapp and waits until BASE/api/events shows it.
          --url           the deployed app, e.g. https://<functionAppName>.azurewebsites.net
          --secret        Meta app secret (default: $META_APP_SECRET)
          --api-key       a key of Ops:ApiKeys, sent as X-Api-Key (default: $OPS_API_KEY)
          --function-key  on Azure Functions, a function key for the ops routes (default: $FUNCTIONS_KEY)
          --timeout       seconds to wait for the event to show (default: 120)
        The test template (name smoke_check, id from 9000000000000000000 up) stays in the catalog and history.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, HttpMessageHandler? handler = null, TimeProvider? clock = null)
    {
        output ??= Console.Out;
        clock ??= TimeProvider.System;
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "-h" or "--help")
            {
                await output.WriteLineAsync(Usage);
                return 0;
            }

            if (args[i] is not ("--url" or "--secret" or "--api-key" or "--function-key" or "--timeout") || i + 1 >= args.Length)
            {
                await output.WriteLineAsync($"Unexpected argument '{args[i]}'.\n\n{Usage}");
                return 64;
            }

            options[args[i]] = args[++i];
        }

        var secret = Option(options, "--secret", "META_APP_SECRET");
        var apiKey = Option(options, "--api-key", "OPS_API_KEY");
        var functionKey = Option(options, "--function-key", "FUNCTIONS_KEY");
        var timeout = DefaultTimeout;
        if (!options.TryGetValue("--url", out var url) || !Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            await output.WriteLineAsync($"--url must be the app's absolute http(s) address.\n\n{Usage}");
            return 64;
        }

        if (string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(apiKey))
        {
            await output.WriteLineAsync($"Both the app secret (--secret or META_APP_SECRET) and an ops key (--api-key or OPS_API_KEY) are needed.\n\n{Usage}");
            return 64;
        }

        if (options.TryGetValue("--timeout", out var seconds))
        {
            if (!int.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var s) || s is < 1 or > 3600)
            {
                await output.WriteLineAsync("--timeout is a number of seconds from 1 to 3600.");
                return 64;
            }

            timeout = TimeSpan.FromSeconds(s);
        }

        using var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        var run = new Run(client, baseUrl, apiKey, functionKey, output, clock);
        return await run.ExecuteAsync(secret, timeout) ? 0 : 1;
    }

    private static string? Option(Dictionary<string, string> options, string name, string variable) =>
        options.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(variable);

    /// <summary>A sample status change for a fresh template id; <see cref="EventIdentity"/> makes its event id new.</summary>
    public static byte[] SampleWebhook(long templateId, DateTimeOffset now) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        @object = "whatsapp_business_account",
        entry = new[]
        {
            new
            {
                id = "0",
                time = now.ToUnixTimeSeconds(),
                changes = new[]
                {
                    new
                    {
                        field = "message_template_status_update",
                        value = new Dictionary<string, object>
                        {
                            ["event"] = "APPROVED",
                            ["message_template_id"] = templateId,
                            ["message_template_name"] = TemplateName,
                            ["message_template_language"] = "en_US",
                            ["reason"] = "NONE",
                            ["message_template_category"] = "UTILITY",
                        },
                    },
                },
            },
        },
    }));

    /// <summary>One smoke check: the steps share the client, the keys and the step numbering.</summary>
    private sealed class Run(HttpClient client, Uri baseUrl, string apiKey, string? functionKey, TextWriter output, TimeProvider clock)
    {
        private const int Steps = 3;

        public async Task<bool> ExecuteAsync(string secret, TimeSpan timeout)
        {
            var started = clock.GetTimestamp();
            var ok = await HealthAsync()
                && await PostAsync(secret) is { } templateId
                && await WaitForEventAsync(templateId, timeout);
            await output.WriteLineAsync($"{(ok ? "PASSED" : "FAILED")} in {Milliseconds(clock.GetElapsedTime(started))}");
            return ok;
        }

        private async Task<bool> HealthAsync()
        {
            var url = new Uri(baseUrl, "api" + OpsEndpoints.HealthRoute);
            var started = clock.GetTimestamp();
            try
            {
                using var response = await client.GetAsync(url);
                var body = await response.Content.ReadAsStringAsync();
                await StepAsync(1, response.IsSuccessStatusCode, $"GET {url} -> {(int)response.StatusCode} {Short(body)}", started);
                if (!response.IsSuccessStatusCode)
                {
                    await output.WriteLineAsync("      " + ServerAnswer.Describe(url, response));
                }

                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException ex)
            {
                await StepAsync(1, false, $"GET {url}: {ServerAnswer.ConnectionAdvice(url, ex)}", started);
                return false;
            }
        }

        private async Task<long?> PostAsync(string secret)
        {
            var url = new Uri(baseUrl, WebhookEndpoints.Route.TrimStart('/'));
            var templateId = TemplateIdBase + Random.Shared.NextInt64(0, 100_000_000_000_000_000);
            var body = SampleWebhook(templateId, clock.GetUtcNow());
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            request.Headers.Add(SignatureVerifier.HeaderName, SignatureVerifier.Sign(secret, body));
            var started = clock.GetTimestamp();
            try
            {
                using var response = await client.SendAsync(request);
                var answer = await response.Content.ReadAsStringAsync();
                await StepAsync(2, response.IsSuccessStatusCode, $"POST {url} (template {templateId}) -> {(int)response.StatusCode} {Short(answer)}", started);
                if (response.IsSuccessStatusCode)
                {
                    return templateId;
                }

                await output.WriteLineAsync("      " + ServerAnswer.Describe(url, response));
                if (ServerAnswer.WebhookAdvice(response.StatusCode, ServerAnswer.LooksLikeWebhookProcessor(response, answer), "--secret or META_APP_SECRET") is { } advice)
                {
                    await output.WriteLineAsync("      " + advice);
                }

                return null;
            }
            catch (HttpRequestException ex)
            {
                await StepAsync(2, false, $"POST {url}: {ServerAnswer.ConnectionAdvice(url, ex)}", started);
                return null;
            }
        }

        /// <summary>Asks the ops API once a second until the event shows, the deadline passes, or the API refuses the keys.</summary>
        private async Task<bool> WaitForEventAsync(long templateId, TimeSpan timeout)
        {
            var url = new Uri(baseUrl, $"api/events?templateId={templateId.ToString(CultureInfo.InvariantCulture)}");
            var started = clock.GetTimestamp();
            var asked = 0;
            var last = "no answer yet";
            while (true)
            {
                asked++;
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Add(ApiKeyFilter.HeaderName, apiKey);
                if (!string.IsNullOrEmpty(functionKey))
                {
                    request.Headers.Add(FunctionKeyHeader, functionKey);
                }

                try
                {
                    using var response = await client.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
                    {
                        await StepAsync(3, false, $"GET {url} -> {(int)response.StatusCode} {Short(body)}", started);
                        await output.WriteLineAsync("      " + ServerAnswer.Describe(url, response));
                        await output.WriteLineAsync(
                            $"      The ops API refused the request: --api-key must be one of the app's Ops:ApiKeys; on Azure Functions the ops routes also need --function-key (az functionapp keys list -g <group> -n <app> --query functionKeys.default -o tsv).");
                        return false;
                    }

                    if (response.IsSuccessStatusCode && FirstEventId(body) is { } eventId)
                    {
                        await StepAsync(3, true, $"GET {url} -> event {eventId} in history after {asked} request(s)", started);
                        return true;
                    }

                    last = $"{(int)response.StatusCode} {Short(body)}";
                }
                catch (HttpRequestException ex)
                {
                    last = ServerAnswer.ConnectionAdvice(url, ex);
                }

                if (clock.GetElapsedTime(started) + PollInterval > timeout)
                {
                    await StepAsync(3, false, $"GET {url}: the event did not show within {timeout.TotalSeconds:0} s ({asked} requests; last: {last}). Is the queue processed? Check /api/healthz (queue depth, oldest age) and the app's log.", started);
                    return false;
                }

                await Task.Delay(PollInterval, clock);
            }
        }

        private async Task StepAsync(int number, bool ok, string text, long started) =>
            await output.WriteLineAsync($"[{(ok ? "ok" : "FAIL")}] {number}/{Steps} {text} ({Milliseconds(clock.GetElapsedTime(started))})");

        private static string? FirstEventId(string body)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (string.Equals(property.Name, "items", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var item in property.Value.EnumerateArray())
                        {
                            foreach (var field in item.EnumerateObject())
                            {
                                if (string.Equals(field.Name, "eventId", StringComparison.OrdinalIgnoreCase))
                                {
                                    return field.Value.ToString();
                                }
                            }
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Not the ops API's JSON: the caller reports what it got.
            }

            return null;
        }

        private static string Milliseconds(TimeSpan elapsed) => elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

        private static string Short(string body)
        {
            var line = body.ReplaceLineEndings(" ").Trim();
            return line.Length <= 200 ? line : line[..200] + "…";
        }
    }
}
