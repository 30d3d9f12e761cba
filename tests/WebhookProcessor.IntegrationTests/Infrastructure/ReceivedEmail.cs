using System.Text.Json;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>A message as MailDev's REST API (<c>GET /email</c>) shows it: decoded subject, text and HTML parts.</summary>
public sealed record ReceivedEmail
{
    public string Id { get; init; } = "";

    public string? Subject { get; init; }

    /// <summary>The text/plain part, decoded; <see langword="null"/> when the message has none.</summary>
    public string? Text { get; init; }

    /// <summary>The text/html part, decoded; <see langword="null"/> when the message has none.</summary>
    public string? Html { get; init; }

    public IReadOnlyList<EmailAddress> From { get; init; } = [];

    public IReadOnlyList<EmailAddress> To { get; init; } = [];

    /// <summary>Header names are lower case; a value is a string, or an array when the header repeats.</summary>
    public IReadOnlyDictionary<string, JsonElement> Headers { get; init; } = new Dictionary<string, JsonElement>();

    public DateTimeOffset Time { get; init; }

    public string? Header(string name) =>
        Headers.TryGetValue(name.ToLowerInvariant(), out var value)
            ? value.ValueKind == JsonValueKind.Array ? string.Join(", ", value.EnumerateArray()) : value.ToString()
            : null;
}

public sealed record EmailAddress(string Address, string Name);
