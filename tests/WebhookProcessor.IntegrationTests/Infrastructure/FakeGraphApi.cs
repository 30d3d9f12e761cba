using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A real Kestrel server on loopback standing in for Meta's Graph API. It serves each account's
/// templates in the pages a test gives (<see cref="ServePages"/>), linked by <c>paging.next</c> as Meta
/// links them, single templates by id, and answers from a script first: Meta's error bodies
/// (<see cref="Fail"/>) and slow answers (<see cref="Delay"/>). Every request is recorded.
/// </summary>
public sealed class FakeGraphApi : ScriptedLoopbackServer<FakeGraphApi.Step>
{
    public const string Version = "v23.0";

    private readonly Dictionary<string, List<JsonObject[]>> _pages = new(StringComparer.Ordinal);
    private Func<string, string> _rewriteNext = next => next;

    public static async Task<FakeGraphApi> StartAsync()
    {
        var api = new FakeGraphApi();
        await api.InitializeAsync();
        return api;
    }

    /// <summary>A template as the Graph API lists it: the id a string, <c>quality_score</c> an object.</summary>
    public static JsonObject Template(
        long id,
        string? name = null,
        string category = "UTILITY",
        string? correctCategory = "",
        string status = "APPROVED",
        string quality = "GREEN") => new()
        {
            ["id"] = id.ToString(CultureInfo.InvariantCulture),
            ["name"] = name ?? $"template_{id}",
            ["language"] = "en_US",
            ["status"] = status,
            ["category"] = category,
            ["previous_category"] = null,
            ["correct_category"] = correctCategory,
            ["quality_score"] = new JsonObject { ["score"] = quality, ["date"] = 1_764_000_000 },
            ["rejected_reason"] = "NONE",
            ["sub_category"] = "CUSTOM",
        };

    /// <summary><paramref name="wabaId"/>'s templates, page by page; every page but the last links to the next.</summary>
    public FakeGraphApi ServePages(string wabaId, params JsonObject[][] pages)
    {
        lock (Gate)
        {
            _pages[wabaId] = [.. pages];
        }

        return this;
    }

    /// <summary>
    /// The next <paramref name="times"/> requests get <paramref name="status"/> with Meta's error body
    /// (when <paramref name="code"/> is given), a <c>Retry-After</c>, a usage header and a <c>Location</c>
    /// if asked. With <paramref name="echoToken"/> the error message repeats the bearer token it was sent.
    /// </summary>
    public FakeGraphApi Fail(
        HttpStatusCode status,
        int? code = null,
        int times = 1,
        TimeSpan? retryAfter = null,
        int? regainMinutes = null,
        bool echoToken = false,
        string? location = null) =>
        Script(new Step(status, code, retryAfter, regainMinutes, echoToken, TimeSpan.Zero, location), times);

    /// <summary>The next <paramref name="times"/> requests are answered normally, after <paramref name="delay"/>.</summary>
    public FakeGraphApi Delay(TimeSpan delay, int times = 1) =>
        Script(new Step(null, null, null, null, false, delay), times);

    /// <summary>Changes every <c>paging.next</c> link before it is sent (to point it elsewhere).</summary>
    public FakeGraphApi RewriteNextLinks(Func<string, string> rewrite)
    {
        lock (Gate)
        {
            _rewriteNext = rewrite;
        }

        return this;
    }

    private FakeGraphApi Script(Step step, int times)
    {
        Enqueue(step, times);
        return this;
    }

    protected override async Task HandleAsync(HttpContext context)
    {
        var step = Take(context, "");
        if (step is not null && !await DelayAsync(context, step.Delay))
        {
            return; // the client gave up
        }

        if (step is { Status: { } status })
        {
            await WriteErrorAsync(context, status, step);
            return;
        }

        var segments = (context.Request.Path.Value ?? "").Trim('/').Split('/');
        JsonNode? answer = segments switch
        {
            [Version, var waba, "message_templates"] => Page(context, waba),
            [Version, var id] => Single(id),
            _ => null,
        };

        if (answer is null)
        {
            await WriteErrorAsync(context, HttpStatusCode.NotFound, new Step(HttpStatusCode.NotFound, 100, null, null, false, TimeSpan.Zero));
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.ToJsonString());
    }

    private JsonObject? Page(HttpContext context, string wabaId)
    {
        lock (Gate)
        {
            if (!_pages.TryGetValue(wabaId, out var pages))
            {
                return null;
            }

            var index = int.TryParse(context.Request.Query["after"], CultureInfo.InvariantCulture, out var after) ? after : 0;
            if (index < 0 || index >= pages.Count)
            {
                return null;
            }

            var paging = new JsonObject
            {
                ["cursors"] = new JsonObject { ["before"] = $"b{index}", ["after"] = (index + 1).ToString(CultureInfo.InvariantCulture) },
            };
            if (index + 1 < pages.Count)
            {
                var next = $"{BaseAddress}{Version}/{wabaId}/message_templates?fields={context.Request.Query["fields"]}&limit={context.Request.Query["limit"]}&after={index + 1}";
                paging["next"] = _rewriteNext(next);
            }

            return new JsonObject
            {
                ["data"] = new JsonArray([.. pages[index].Select(t => (JsonNode)t.DeepClone())]),
                ["paging"] = paging,
            };
        }
    }

    private JsonObject? Single(string id)
    {
        lock (Gate)
        {
            return _pages.Values.SelectMany(p => p).SelectMany(p => p)
                .FirstOrDefault(t => (string?)t["id"] == id)?.DeepClone().AsObject();
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, HttpStatusCode status, Step step)
    {
        context.Response.StatusCode = (int)status;
        if (step.RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (step.Location is not null)
        {
            context.Response.Headers.Location = step.Location;
        }

        if (step.RegainMinutes is { } minutes)
        {
            context.Response.Headers["X-Business-Use-Case-Usage"] =
                $$"""{"1":[{"type":"whatsapp_business_management","call_count":100,"estimated_time_to_regain_access":{{minutes}}}]}""";
        }

        if (step.Code is not { } code)
        {
            return;
        }

        var message = step.EchoToken
            ? $"Invalid OAuth access token - Cannot parse access token: {context.Request.Headers.Authorization.ToString().Replace("Bearer ", "", StringComparison.Ordinal)}"
            : $"Fake Graph API error {code}";
        var body = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["message"] = message,
                ["type"] = code == 190 ? "OAuthException" : "GraphMethodException",
                ["code"] = code,
                ["error_subcode"] = code == 190 ? 463 : null,
                ["fbtrace_id"] = "FakeTrace123",
            },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    /// <summary>One scripted answer: an error (with Meta's body when a code is given), or a delay before the normal answer.</summary>
    public sealed record Step(HttpStatusCode? Status, int? Code, TimeSpan? RetryAfter, int? RegainMinutes, bool EchoToken, TimeSpan Delay, string? Location = null);
}
