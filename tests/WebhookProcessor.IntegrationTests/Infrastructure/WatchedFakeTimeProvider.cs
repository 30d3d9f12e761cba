using Microsoft.Extensions.Time.Testing;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also tells which waits the code under test has started: every
/// time a timer is armed (created or changed to a finite due time), its due time is recorded. A test can
/// then wait, in real time and with a deadline, until the code is actually waiting (a retry delay, a
/// timeout) before it moves time; moving time earlier would pass the wait by unnoticed.
/// </summary>
public sealed class WatchedFakeTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _armed = [];

    /// <summary>The due time of every timer armed so far, in order.</summary>
    public IReadOnlyList<TimeSpan> Armed
    {
        get
        {
            lock (_gate)
            {
                return [.. _armed];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Record(dueTime);
        return new WatchedTimer(base.CreateTimer(callback, state, dueTime, period), this);
    }

    /// <summary>Waits until the <paramref name="index"/>-th timer (from 0) that <paramref name="matches"/> has been armed; returns its due time.</summary>
    public async Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> matches, TimeSpan timeout, int index = 0)
    {
        var found = await Eventually.Until(
            () => Task.FromResult(Armed.Where(matches).ToList()),
            armed => armed.Count > index,
            timeout,
            $"timer #{index} matching the test's condition to be armed (armed so far: {string.Join(", ", Armed)})");
        return found[index];
    }

    private void Record(TimeSpan dueTime)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (_gate)
            {
                _armed.Add(dueTime);
            }
        }
    }

    private sealed class WatchedTimer(ITimer inner, WatchedFakeTimeProvider owner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Record(dueTime);
            return inner.Change(dueTime, period);
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
