using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using WebhookProcessor.Meta;

namespace WebhookProcessor.Reconciliation;

/// <summary>
/// Reads an account's templates from Meta's Graph API (<c>GET /{version}/{wabaId}/message_templates</c>,
/// every page) and single templates (<c>GET /{version}/{templateId}</c>). Each call takes its turn in
/// <see cref="GraphCallBudget"/> first; the HTTP client retries what is worth retrying
/// (<see cref="GraphApiPipeline"/>); whatever still fails ends as a <see cref="GraphApiException"/>.
/// </summary>
/// <remarks>
/// The token travels only as a bearer header set on each request, never in a URL (Meta would accept
/// <c>access_token=</c> in the query, and URLs end up in logs and traces).
/// </remarks>
public sealed partial class GraphApiClient(
    HttpClient httpClient,
    IOptions<GraphApiOptions> options,
    GraphCallBudget budget,
    TimeProvider timeProvider,
    ILogger<GraphApiClient> logger)
{
    /// <summary>The template fields asked for: what the catalog keeps and the categorization guide compares.</summary>
    public const string Fields = "id,name,language,status,category,previous_category,correct_category,quality_score,rejected_reason,sub_category";

    private readonly GraphApiOptions _options = options.Value;

    /// <summary>Every template of <paramref name="wabaId"/>, page after page until Meta gives no <c>paging.next</c>.</summary>
    public async IAsyncEnumerable<GraphTemplate> ListTemplatesAsync(string wabaId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var page in ListTemplatePagesAsync(wabaId, cancellationToken))
        {
            foreach (var template in page.Templates)
            {
                yield return template;
            }
        }
    }

    /// <summary>
    /// The same listing a page at a time, each with the time its request was sent: what a page says is
    /// Meta's state as of then at the latest, so that is the time its differences are recorded at.
    /// </summary>
    public async IAsyncEnumerable<GraphTemplatePage> ListTemplatePagesAsync(string wabaId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RequireId(wabaId, nameof(wabaId));
        var first = new Uri(
            _options.BaseUri(),
            string.Create(CultureInfo.InvariantCulture, $"{_options.Version}/{wabaId}/message_templates?fields={Fields}&limit={_options.PageSize}"));
        var requested = new HashSet<string>(StringComparer.Ordinal) { first.AbsoluteUri };
        var what = $"the template list of account {wabaId}";

        for (var uri = first; uri is not null;)
        {
            List<GraphTemplate> templates;
            string? next;
            var requestedAt = timeProvider.GetUtcNow();
            using (var page = await GetAsync(wabaId, uri, what, cancellationToken))
            {
                var root = page.RootElement;
                if (root.ValueKind != JsonValueKind.Object
                    || !root.TryGetProperty("data", out var data)
                    || data.ValueKind != JsonValueKind.Array)
                {
                    throw Malformed(what, "a page without a data array");
                }

                templates = [.. data.EnumerateArray().Select(t => ReadTemplate(t, what))];
                next = root.TryGetProperty("paging", out var paging)
                    && paging.ValueKind == JsonValueKind.Object
                    && paging.TryGetProperty("next", out var link)
                    && link.ValueKind == JsonValueKind.String
                        ? link.GetString()
                        : null;
            }

            // Only the absence of a next link ends the list; a short or empty page does not.
            Log.PageRead(logger, wabaId, templates.Count, next is not null);
            yield return new GraphTemplatePage(requestedAt, templates);

            uri = string.IsNullOrEmpty(next) ? null : CheckNext(first, next, requested, what);
        }
    }

    /// <summary>One template as Meta shows it now, counted against <paramref name="wabaId"/>'s budget (the account it belongs to).</summary>
    public async Task<GraphTemplate> GetTemplateAsync(string wabaId, string templateId, CancellationToken cancellationToken = default)
    {
        RequireId(wabaId, nameof(wabaId));
        RequireId(templateId, nameof(templateId));
        var uri = new Uri(_options.BaseUri(), $"{_options.Version}/{templateId}?fields={Fields}");
        var what = $"template {templateId} of account {wabaId}";
        using var answer = await GetAsync(wabaId, uri, what, cancellationToken);
        return ReadTemplate(answer.RootElement, what);
    }

    private async Task<JsonDocument> GetAsync(string wabaId, Uri uri, string what, CancellationToken cancellationToken)
    {
        if (!_options.IsConfigured)
        {
            throw new GraphApiException(
                GraphApiErrorKind.Authentication,
                $"Cannot read {what}: Meta:GraphApi:AccessToken is not set (a system-user token with the whatsapp_business_management permission).");
        }

        await budget.AcquireAsync(wabaId, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Options.Set(GraphCallBudget.AccountOption, wabaId);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.AccessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        string body;
        try
        {
            using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var error = GraphApiErrors.FromResponse(what, response.StatusCode, response.Headers, body, _options.AccessToken, timeProvider.GetUtcNow());
                if (error.SuggestedWait is { } wait)
                {
                    budget.Hold(wabaId, wait);
                }

                Log.CallFailed(logger, wabaId, error.Kind, error.HttpStatus, error.Code, error.FbTraceId);
                throw error;
            }
        }
        catch (TimeoutRejectedException ex)
        {
            throw Failed(wabaId, $"The Graph API did not answer {what} within {_options.AttemptTimeout} (retried already).", ex);
        }
        catch (HttpRequestException ex)
        {
            throw Failed(wabaId, $"Could not read {what} from the Graph API at {uri.Host}: {GraphApiErrors.Redact(ex.Message, _options.AccessToken)}", ex);
        }

        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = JsonLimits.MaxDepth });
        }
        catch (JsonException)
        {
            throw Malformed(what, "an answer that is not JSON");
        }
    }

    private GraphApiException Failed(string wabaId, string message, Exception inner)
    {
        Log.CallFailed(logger, wabaId, GraphApiErrorKind.Transient, null, null, null);
        return new GraphApiException(GraphApiErrorKind.Transient, message, inner);
    }

    /// <summary>
    /// A next link must lead to the same place as the first page (scheme, host, port and path): the
    /// token goes with every request, so a link elsewhere would hand it to whoever wrote the link.
    /// </summary>
    private static Uri CheckNext(Uri first, string next, HashSet<string> requested, string what)
    {
        if (!Uri.TryCreate(next, UriKind.Absolute, out var uri)
            || !string.Equals(uri.Scheme, first.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(uri.Authority, first.Authority, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(uri.AbsolutePath, first.AbsolutePath, StringComparison.Ordinal)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new GraphApiException(
                GraphApiErrorKind.Other,
                $"Refused to follow the next page of {what}: the link leaves {first.Scheme}://{first.Authority}{first.AbsolutePath}, and the token is not sent anywhere else.");
        }

        if (!requested.Add(uri.AbsoluteUri))
        {
            throw Malformed(what, "a next link to a page already read (the listing would never end)");
        }

        return uri;
    }

    private static GraphTemplate ReadTemplate(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(what, "a template that is not an object");
        }

        var rawId = element.TryGetProperty("id", out var idValue) ? idValue.ToString() : null;
        if (idValue.ValueKind is not (JsonValueKind.String or JsonValueKind.Number) || !GraphIds.TryParse(rawId, out var id))
        {
            throw Malformed(what, $"a template id that is not a number ('{Shorten(rawId)}')");
        }

        var name = Text(element, "name");
        if (string.IsNullOrEmpty(name))
        {
            throw Malformed(what, $"template {id} without a name");
        }

        return new GraphTemplate(
            id,
            name,
            Text(element, "language"),
            Text(element, "status"),
            Text(element, "category"),
            Text(element, "previous_category"),
            Text(element, "correct_category"),
            Quality(element),
            Text(element, "rejected_reason"),
            Text(element, "sub_category"));
    }

    /// <summary>An object <c>{"score", "date"}</c> as documented; a bare string is read as the score, anything else as unknown.</summary>
    private static GraphQualityScore? Quality(JsonElement template)
    {
        if (!template.TryGetProperty("quality_score", out var quality))
        {
            return null;
        }

        return quality.ValueKind switch
        {
            JsonValueKind.Object => new GraphQualityScore(Text(quality, "score"), UnixDate(quality)),
            JsonValueKind.String => new GraphQualityScore(quality.GetString(), null),
            _ => null,
        };
    }

    private static DateTimeOffset? UnixDate(JsonElement quality)
    {
        if (!quality.TryGetProperty("date", out var date))
        {
            return null;
        }

        long seconds;
        var readable = date.ValueKind switch
        {
            JsonValueKind.Number => date.TryGetInt64(out seconds),
            JsonValueKind.String => long.TryParse(date.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out seconds),
            _ => (seconds = 0) != 0,
        };

        // Far-off values would throw in FromUnixTimeSeconds; they are as good as unknown.
        return readable && seconds is > 0 and < 253_402_300_799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 40 ? text : text[..40] + "…";

    private static GraphApiException Malformed(string what, string found) =>
        new(GraphApiErrorKind.Other, $"The Graph API answered {what} with {found}.");

    private static void RequireId(string value, string parameter)
    {
        // Ids become path segments: digits only keeps the request on the path we mean.
        if (!GraphIds.IsId(value))
        {
            throw new ArgumentException($"'{Shorten(value)}' is not a Graph API id (digits only).", parameter);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2501, Level = LogLevel.Debug, Message = "Read a page of {Count} template(s) of account {WabaId} from the Graph API; more pages: {More}")]
        public static partial void PageRead(ILogger logger, string wabaId, int count, bool more);

        [LoggerMessage(EventId = 2502, Level = LogLevel.Warning, Message = "A Graph API call for account {WabaId} failed: {Kind}, HTTP {Status}, code {Code}, fbtrace_id {FbTraceId}")]
        public static partial void CallFailed(ILogger logger, string wabaId, GraphApiErrorKind kind, int? status, int? code, string? fbTraceId);
    }
}
