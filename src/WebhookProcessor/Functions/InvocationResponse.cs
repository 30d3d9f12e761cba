using System.Text.Json.Serialization;

namespace WebhookProcessor.Functions;

/// <summary>
/// What the Functions host expects back from a non-HTTP invocation. Always sent with a body: a 2xx
/// with an empty JSON body is not completed by the host and would wait for the function timeout.
/// </summary>
public sealed record InvocationResponse(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue)
{
    /// <summary>Success with nothing to bind; <paramref name="log"/> appears in the invocation's log (Application Insights).</summary>
    public static InvocationResponse Done(string log) => new(new Dictionary<string, object?>(), [log], null);
}
