using WebhookProcessor.Notifications;

namespace WebhookProcessor.IntegrationTests.Notifications;

internal static class TestAlerts
{
    public const string Subject = "¿Plantilla pausada? Revisión de «pago_señal» (categoría: UTILITY → MARKETING)";

    public static string NewId() => $"ntf-{Guid.NewGuid():N}";

    public static OutgoingAlert Teams(string url, string? id = null) =>
        new(id ?? NewId(), AlertChannel.Teams, url, Content());

    public static OutgoingAlert Email(string to, string? id = null) =>
        new(id ?? NewId(), AlertChannel.Email, to, Content());

    /// <summary>Settings that keep a failing round short: 50 ms backoff, a breaker that stays out of the way.</summary>
    public static ResilienceSettings FastResilience(int retries = 2) => new()
    {
        MaxRetryAttempts = retries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryAfter = TimeSpan.FromSeconds(5),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        FailureRatio = 0.5,
        MinimumThroughput = 1000,
        SamplingDuration = TimeSpan.FromSeconds(30),
        BreakDuration = TimeSpan.FromSeconds(1),
    };

    private static RenderedAlert Content() => new(
        Subject,
        "<html><body><p>La plantilla <b>pago_señal</b> está en pausa. ¿Qué hacer? Revísela.</p></body></html>",
        "La plantilla pago_señal está en pausa. ¿Qué hacer? Revísela.",
        """{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","contentUrl":null,"content":{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json","type":"AdaptiveCard","version":"1.4","body":[{"type":"TextBlock","text":"La plantilla pago_señal está en pausa. ¿Qué hacer?","wrap":true}]}}]}""");
}
