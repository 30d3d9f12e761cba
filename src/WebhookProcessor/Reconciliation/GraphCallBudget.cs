using Microsoft.Extensions.Options;

namespace WebhookProcessor.Reconciliation;

/// <summary>
/// Meta's call budget per account (Meta:GraphApi:CallsPerHourPerAccount in any rolling hour): every
/// Graph API call takes a turn here first and waits when the account's hour is used up, so a run over
/// many accounts spreads its calls instead of being refused. A throttling answer holds the account for
/// as long as Meta asked.
/// </summary>
/// <remarks>
/// A sliding log of call times per account, written here rather than taken from
/// System.Threading.RateLimiting: those limiters replenish on their own timer and take no
/// <see cref="TimeProvider"/>, so their waits could not be tested with a fake clock, and their sliding
/// window counts in segments, which lets more than the budget through in some rolling hours. A log is
/// exact, and small: at most the budget's number of timestamps per account.
/// </remarks>
public sealed class GraphCallBudget(IOptions<GraphApiOptions> options, TimeProvider timeProvider)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Account> _accounts = new(StringComparer.Ordinal);
    private readonly int _limit = options.Value.CallsPerHourPerAccount;

    /// <summary>Waits until <paramref name="wabaId"/> may make one more call, and counts it.</summary>
    public async ValueTask AcquireAsync(string wabaId, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var wait = TryTake(wabaId);
            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(wait, timeProvider, cancellationToken);
        }
    }

    /// <summary>No calls for <paramref name="wabaId"/> until <paramref name="wait"/> has passed (Meta throttled it).</summary>
    public void Hold(string wabaId, TimeSpan wait)
    {
        var until = timeProvider.GetUtcNow() + wait;
        lock (_gate)
        {
            var account = For(wabaId);
            if (until > account.HeldUntil)
            {
                account.HeldUntil = until;
            }
        }
    }

    /// <summary>Calls counted for <paramref name="wabaId"/> in the last hour.</summary>
    public int Used(string wabaId)
    {
        lock (_gate)
        {
            var account = For(wabaId);
            Forget(account, timeProvider.GetUtcNow());
            return account.Calls.Count;
        }
    }

    /// <summary>The request option naming the account a Graph API request is counted against.</summary>
    public static readonly HttpRequestOptionsKey<string> AccountOption = new("graph-account");

    /// <summary>
    /// A retry the resilience pipeline makes on its own: counted in the window and the total without
    /// waiting (it cannot wait there), so the next call waits for it instead.
    /// </summary>
    public void CountRetry(string wabaId)
    {
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            var account = For(wabaId);
            account.Calls.Enqueue(now);
            account.Total++;
        }
    }

    /// <summary>Requests counted for <paramref name="wabaId"/> since the process started, retries included: a run reads it before and after to know what it cost.</summary>
    public long Total(string wabaId)
    {
        lock (_gate)
        {
            return For(wabaId).Total;
        }
    }

    /// <summary>Zero when the call was counted; otherwise how long to wait before asking again.</summary>
    private TimeSpan TryTake(string wabaId)
    {
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            var account = For(wabaId);
            if (account.HeldUntil > now)
            {
                return account.HeldUntil - now;
            }

            Forget(account, now);
            if (account.Calls.Count < _limit)
            {
                account.Calls.Enqueue(now);
                account.Total++;
                return TimeSpan.Zero;
            }

            // The oldest call leaves the window first; a tick more so it has left when we look again.
            return account.Calls.Peek() + Window - now + TimeSpan.FromTicks(1);
        }
    }

    private static void Forget(Account account, DateTimeOffset now)
    {
        while (account.Calls.TryPeek(out var oldest) && oldest + Window <= now)
        {
            account.Calls.Dequeue();
        }
    }

    private Account For(string wabaId)
    {
        if (!_accounts.TryGetValue(wabaId, out var account))
        {
            account = new Account();
            _accounts[wabaId] = account;
        }

        return account;
    }

    private sealed class Account
    {
        public Queue<DateTimeOffset> Calls { get; } = new();

        public DateTimeOffset HeldUntil { get; set; }

        public long Total { get; set; }
    }
}
