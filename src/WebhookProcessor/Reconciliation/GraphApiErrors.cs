using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using WebhookProcessor.Meta;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Reconciliation;

/// <summary>
/// The one place that reads Meta's error answers: <c>{"error": {"message", "type", "code",
/// "error_subcode", "fbtrace_id"}}</c>, classified by <c>code</c> and HTTP status (Meta asks clients to
/// build on the code, never the message text).
/// </summary>
public static class GraphApiErrors
{
    /// <summary>When Meta throttles without saying for how long: its budgets are counted over a rolling hour.</summary>
    public static readonly TimeSpan DefaultThrottleWait = TimeSpan.FromMinutes(5);

    private const string TokenSetting = "Meta:GraphApi:AccessToken";

    public static GraphApiErrorKind Classify(int httpStatus, int? code) => code switch
    {
        190 or 102 or 10 or (>= 200 and <= 299) => GraphApiErrorKind.Authentication,
        4 or 17 or 32 or 613 or 80007 => GraphApiErrorKind.Throttled,
        _ => httpStatus switch
        {
            401 or 403 => GraphApiErrorKind.Authentication,
            429 => GraphApiErrorKind.Throttled,
            408 or >= 500 => GraphApiErrorKind.Transient,
            _ => GraphApiErrorKind.Other,
        },
    };

    /// <summary>The exception for a non-success answer; <paramref name="secret"/> is cut out of anything Meta echoed.</summary>
    public static GraphApiException FromResponse(
        string what, HttpStatusCode status, HttpResponseHeaders headers, string body, string? secret, DateTimeOffset now)
    {
        var error = ReadError(body);
        var kind = Classify((int)status, error.Code);
        TimeSpan? wait = kind == GraphApiErrorKind.Throttled ? SuggestedWait(headers, now) : null;

        var message = $"The Graph API refused {what}: HTTP {(int)status}";
        if (error.Code is { } code)
        {
            message += $", code {code}" + (error.Subcode is { } sub ? $"/{sub}" : "");
        }

        if (!string.IsNullOrWhiteSpace(error.Message))
        {
            message += $" ({error.Type ?? "error"}: {Shorten(error.Message)})";
        }

        if (error.FbTraceId is not null)
        {
            message += $", fbtrace_id {error.FbTraceId}";
        }

        message += kind switch
        {
            GraphApiErrorKind.Authentication =>
                $". The token in {TokenSetting} is invalid, expired or lacks the whatsapp_business_management permission for this account; replace it (not retried).",
            GraphApiErrorKind.Throttled => $". Meta is throttling this app or account; wait {wait} before calling for it again.",
            GraphApiErrorKind.Transient => ". Meta failed; retried already.",
            _ => ".",
        };

        return new GraphApiException(kind, Redact(message, secret))
        {
            HttpStatus = (int)status,
            Code = error.Code,
            Subcode = error.Subcode,
            FbTraceId = error.FbTraceId,
            SuggestedWait = wait,
        };
    }

    /// <summary>Removes the token wherever it appears; the token is never shown, even in part.</summary>
    public static string Redact(string text, string? secret) =>
        string.IsNullOrEmpty(secret) ? text : text.Replace(secret, "[redacted]", StringComparison.Ordinal);

    /// <summary>
    /// How long Meta asks us to wait: <c>Retry-After</c>, else the longest
    /// <c>estimated_time_to_regain_access</c> (minutes) in the usage headers, else <see cref="DefaultThrottleWait"/>.
    /// </summary>
    public static TimeSpan SuggestedWait(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (RetryAfterHeader.ToDelay(headers.RetryAfter, now) is { } asked && asked > TimeSpan.Zero)
        {
            return asked;
        }

        var minutes = 0.0;
        foreach (var name in (string[])["X-Business-Use-Case-Usage", "X-App-Usage", "X-Ad-Account-Usage"])
        {
            if (headers.TryGetValues(name, out var values))
            {
                foreach (var value in values)
                {
                    minutes = Math.Max(minutes, LongestRegainMinutes(value));
                }
            }
        }

        return minutes > 0 ? TimeSpan.FromMinutes(Math.Min(minutes, 24 * 60)) : DefaultThrottleWait;
    }

    private static ErrorBody ReadError(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = JsonLimits.MaxDepth });
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object)
            {
                return new ErrorBody(
                    Text(error, "message"),
                    Text(error, "type"),
                    Number(error, "code"),
                    Number(error, "error_subcode"),
                    Text(error, "fbtrace_id"));
            }
        }
        catch (JsonException)
        {
            // Not Meta's error shape (a proxy's HTML page, say): the status alone classifies it.
        }

        return new ErrorBody(null, null, null, null, null);
    }

    /// <summary>The usage headers hold JSON whose shape varies by API; any number under that name counts.</summary>
    private static double LongestRegainMinutes(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = JsonLimits.MaxDepth });
            return Longest(document.RootElement);
        }
        catch (JsonException)
        {
            return 0;
        }

        static double Longest(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject()
                .Select(p => p.NameEquals("estimated_time_to_regain_access") && p.Value.ValueKind == JsonValueKind.Number
                    ? p.Value.GetDouble()
                    : Longest(p.Value))
                .DefaultIfEmpty(0).Max(),
            JsonValueKind.Array => element.EnumerateArray().Select(Longest).DefaultIfEmpty(0).Max(),
            _ => 0,
        };
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) switch
        {
            true when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) => n,
            true when value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) => s,
            _ => null,
        };

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private sealed record ErrorBody(string? Message, string? Type, int? Code, int? Subcode, string? FbTraceId);
}
