using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace WebhookProcessor.Security;

/// <summary>
/// Counts requests that fail authentication per client address, with ASP.NET Core's fixed-window rate
/// limiter, and answers 429 once an address is over the limit. Only refusals take a permit: the rate
/// limiting middleware takes one for every request, which would count Meta's signed deliveries too, and
/// a valid signature must never be limited. Refusals are logged as one summary line per client per window.
/// </summary>
public sealed partial class RefusalLimiter : IDisposable
{
    private const string OtherClients = "(other addresses)";

    private readonly RateLimitingOptions _options;
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly ILogger<RefusalLimiter> _logger;
    private ConcurrentDictionary<string, ClientCounts> _counts = new(StringComparer.Ordinal);

    public RefusalLimiter(IOptions<RateLimitingOptions> options, ILogger<RefusalLimiter> logger)
    {
        _options = options.Value;
        _logger = logger;
        var window = new FixedWindowRateLimiterOptions
        {
            PermitLimit = _options.PermitLimit,
            Window = _options.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _limiter = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(client, _ => window));
    }

    public TimeSpan SummaryPeriod => _options.Window;

    /// <summary>The address requests are counted against; IPv4 seen through an IPv6 socket counts as IPv4.</summary>
    public static string ClientOf(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    /// <summary>True when the client has used up its refusals for this window; asks for no permit.</summary>
    public bool IsLimited(HttpContext context, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_options.Enabled)
        {
            return false;
        }

        // Zero permits only asks whether any are left, without using one.
        using var lease = _limiter.AttemptAcquire(ClientOf(context), 0);
        if (lease.IsAcquired)
        {
            return false;
        }

        retryAfter = RetryAfterOf(lease);
        return true;
    }

    /// <summary>
    /// Counts one failed authentication against the client. Over the limit, the 429 to answer instead of
    /// the refusal; otherwise null, after calling <paramref name="logDetail"/> with the client's address
    /// for its first refusal in this summary period (the rest are only counted, see <see cref="LogSummary"/>).
    /// </summary>
    public ProblemHttpResult? Refuse(HttpContext context, Action<string> logDetail)
    {
        var client = ClientOf(context);
        if (_options.Enabled)
        {
            using var lease = _limiter.AttemptAcquire(client, 1);
            if (!lease.IsAcquired)
            {
                Count(client, limited: true);
                return TooManyRequests(context, RetryAfterOf(lease));
            }
        }

        if (Count(client, limited: false))
        {
            logDetail(client);
        }

        return null;
    }

    /// <summary>Counts a 429 answered before any other work (see <see cref="RefusalGate"/>).</summary>
    public void CountLimited(HttpContext context) => Count(ClientOf(context), limited: true);

    /// <summary>The 429 answer, with <c>Retry-After</c> in whole seconds (at least one).</summary>
    public static ProblemHttpResult TooManyRequests(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many refused requests",
            detail: $"Too many requests from this address failed authentication; try again in {seconds} s.");
    }

    /// <summary>Writes one line per client refused since the last call, then starts counting afresh.</summary>
    public void LogSummary()
    {
        var counts = Interlocked.Exchange(ref _counts, new ConcurrentDictionary<string, ClientCounts>(StringComparer.Ordinal));
        foreach (var (client, count) in counts)
        {
            Summary(_logger, Volatile.Read(ref count.Refused), client, _options.Window, Volatile.Read(ref count.Limited));
        }
    }

    public void Dispose() => _limiter.Dispose();

    private static TimeSpan RetryAfterOf(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);

    /// <returns>True for the client's first refusal in this summary period.</returns>
    private bool Count(string client, bool limited)
    {
        var counts = _counts;
        if (!counts.TryGetValue(client, out var count))
        {
            // Bounded: a flood from many addresses must not grow memory (or the summary) without end.
            var key = counts.Count >= _options.MaxTrackedClients ? OtherClients : client;
            count = counts.GetOrAdd(key, _ => new ClientCounts());
        }

        if (limited)
        {
            Interlocked.Increment(ref count.Limited);
        }

        return Interlocked.Increment(ref count.Refused) == 1;
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Refused {Refused} unauthenticated request(s) from {Client} in the last {Window}; {Limited} of them answered 429")]
    private static partial void Summary(ILogger logger, long refused, string client, TimeSpan window, long limited);

    private sealed class ClientCounts
    {
        public long Refused;
        public long Limited;
    }
}
