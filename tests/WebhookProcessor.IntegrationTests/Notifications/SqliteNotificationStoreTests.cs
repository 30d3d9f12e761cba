using WebhookProcessor.Notifications;
using WebhookProcessor.Storage;

namespace WebhookProcessor.IntegrationTests.Notifications;

public sealed class SqliteNotificationStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "wp-ns-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteNotificationStore _store;

    public SqliteNotificationStoreTests() => _store = new SqliteNotificationStore(new SqliteDatabase(Path.Combine(_folder, "catalog.db")));

    public void Dispose()
    {
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static PlannedAlert Alert(string recipient) => AlertPlanner.ForOwner(
        new AlertFacts { Kind = AlertKinds.TemplateRejected, EventId = "e1", WabaId = "1", TemplateId = 42, OccurredAt = T0 },
        new Owner { Id = "o", DisplayName = "O", Emails = [recipient] })[0];

    [Fact]
    public async Task The_same_alert_added_twice_is_one_row()
    {
        Assert.Equal(1, await _store.AddAsync([Alert("a@example.com")], T0));
        Assert.Equal(0, await _store.AddAsync([Alert("a@example.com")], T0));
        Assert.Single((await _store.QueryAsync(new NotificationQuery(TemplateId: 42))).Items);
    }

    [Fact]
    public async Task A_claimed_alert_is_hidden_until_its_claim_runs_out()
    {
        await _store.AddAsync([Alert("a@example.com")], T0);

        Assert.Single(await _store.TakeDueAsync(AlertChannel.Email, T0, TimeSpan.FromMinutes(5), 10));
        Assert.Empty(await _store.TakeDueAsync(AlertChannel.Email, T0.AddMinutes(4), TimeSpan.FromMinutes(5), 10));
        Assert.Empty(await _store.TakeDueAsync(AlertChannel.Teams, T0.AddMinutes(10), TimeSpan.FromMinutes(5), 10));

        // Its outcome was never recorded: after the claim it is due again, with its attempts unchanged.
        var again = Assert.Single(await _store.TakeDueAsync(AlertChannel.Email, T0.AddMinutes(6), TimeSpan.FromMinutes(5), 10));
        Assert.Equal(0, again.Attempts);
    }

    [Fact]
    public async Task Failed_rounds_reschedule_then_fail_and_a_resend_starts_over()
    {
        var alert = Alert("a@example.com");
        await _store.AddAsync([alert], T0);
        await _store.TakeDueAsync(AlertChannel.Email, T0, TimeSpan.FromMinutes(5), 10);
        await _store.MarkFailedAttemptAsync(alert.NotificationId, 1, "421 try later", T0.AddMinutes(1), T0);

        Assert.Empty(await _store.TakeDueAsync(AlertChannel.Email, T0.AddSeconds(30), TimeSpan.FromMinutes(5), 10));
        Assert.Single(await _store.TakeDueAsync(AlertChannel.Email, T0.AddMinutes(1), TimeSpan.FromMinutes(5), 10));
        await _store.MarkFailedAttemptAsync(alert.NotificationId, 2, "550 no such user", null, T0.AddMinutes(1));

        var failed = (await _store.GetAsync(alert.NotificationId))!;
        Assert.Equal(NotificationStatus.Failed, failed.Status);
        Assert.Equal(2, failed.Attempts);
        Assert.Equal("550 no such user", failed.LastError);
        Assert.Equal(new NotificationStats(0, 1, 0), await _store.GetStatsAsync());

        Assert.True(await _store.ResendAsync(alert.NotificationId, T0.AddHours(1)));
        Assert.False(await _store.ResendAsync(alert.NotificationId, T0.AddHours(1)));
        var resent = Assert.Single(await _store.TakeDueAsync(AlertChannel.Email, T0.AddHours(1), TimeSpan.FromMinutes(5), 10));
        Assert.Equal(0, resent.Attempts);
        await _store.MarkSentAsync(alert.NotificationId, 1, T0.AddHours(1));
        Assert.Equal(NotificationStatus.Sent, (await _store.GetAsync(alert.NotificationId))!.Status);
    }

    [Fact]
    public async Task Claims_left_by_a_stopped_process_are_released_at_start()
    {
        await _store.AddAsync([Alert("a@example.com"), Alert("b@example.com")], T0);
        await _store.TakeDueAsync(AlertChannel.Email, T0, TimeSpan.FromHours(1), 1);

        Assert.Equal(1, await _store.ReleaseClaimsAsync(T0.AddSeconds(1)));
        Assert.Equal(2, (await _store.TakeDueAsync(AlertChannel.Email, T0.AddSeconds(1), TimeSpan.FromHours(1), 10)).Count);
    }
}
