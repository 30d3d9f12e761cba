using WebhookProcessor.Storage;

namespace WebhookProcessor.Notifications;

/// <summary>Wakes each channel's dispatcher loop when new alerts are in the outbox.</summary>
public sealed class AlertSignals : IDisposable
{
    private readonly WakeSignal _email = new();
    private readonly WakeSignal _teams = new();

    public WakeSignal For(AlertChannel channel) => channel == AlertChannel.Email ? _email : _teams;

    public void Set()
    {
        _email.Set();
        _teams.Set();
    }

    public void Dispose()
    {
        _email.Dispose();
        _teams.Dispose();
    }
}
