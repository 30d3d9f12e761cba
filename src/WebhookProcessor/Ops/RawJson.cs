using System.Text.Json.Serialization;

namespace WebhookProcessor.Ops;

/// <summary>A JSON value written out exactly as it was received, so history shows Meta's bytes, not a re-rendering.</summary>
[JsonConverter(typeof(RawJsonConverter))]
public sealed record RawJson(string Json);
