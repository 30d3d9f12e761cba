namespace WebhookProcessor.Webhooks;

/// <summary>Settings under <c>Meta</c>: how Meta's webhooks are authenticated.</summary>
public sealed class MetaOptions
{
    public const string SectionName = "Meta";

    /// <summary>Every app secret whose signature is accepted; several allow rotation without downtime.</summary>
    public List<string> AppSecrets { get; init; } = [];

    /// <summary>The token Meta echoes during the subscription handshake.</summary>
    public string? VerifyToken { get; init; }

    /// <summary>Largest body accepted; Meta documents payloads of up to 3 MB.</summary>
    public int MaxBodyBytes { get; init; } = 4 * 1024 * 1024;
}
