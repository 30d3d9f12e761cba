using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebhookProcessor.IntegrationTests.Functions;

/// <summary>How the Functions host encodes a Service Bus message for the custom handler.</summary>
public enum MessageEncoding
{
    /// <summary>What the host's code does: the body string JSON-encoded again inside the JSON (a string holding a string literal).</summary>
    DoubleEncoded,

    /// <summary>What the documentation's samples show: the body as one JSON string.</summary>
    Plain,

    /// <summary>A JSON object in place of the string.</summary>
    Object,

    /// <summary><c>dataType: binary</c>: the body's bytes in base64.</summary>
    Base64,

    /// <summary>Base64 that was JSON-encoded once more, as plain strings are.</summary>
    Base64DoubleEncoded,
}

/// <summary>Invocation payloads shaped as the Functions host sends them to a custom handler.</summary>
public static class Invocations
{
    public const string Waba = "109876543210987";

    /// <summary>A change message as the intake puts it on the queue (ChangeMessageCodec's format; the change as a string).</summary>
    public static string ChangeMessage(string eventId, string changeJson, long? entryTime = 1751247548, string field = "message_template_status_update") =>
        JsonSerializer.Serialize(new
        {
            v = 1,
            eventId,
            wabaId = Waba,
            field,
            entryTime,
            receivedAt = "2025-06-30T01:39:09.123+00:00",
            change = changeJson,
        });

    public static string StatusChange(long templateId, string statusEvent = "APPROVED", string reason = "NONE") =>
        $$$"""{"field":"message_template_status_update","value":{"event":"{{{statusEvent}}}","message_template_id":{{{templateId}}},"message_template_name":"order_update_{{{templateId % 1000}}}","message_template_language":"es_MX","reason":"{{{reason}}}","message_template_category":"UTILITY"}}""";

    /// <summary>
    /// The serviceBusTrigger request body for a function whose binding is named <c>message</c>. With
    /// <see cref="MessageEncoding.DoubleEncoded"/> the metadata is encoded the way the host's code does
    /// it (strings and numbers JSON-serialized into strings, dates without an offset, to the second).
    /// </summary>
    public static string ServiceBus(string body, MessageEncoding encoding, string messageId, int deliveryCount = 1, IReadOnlyDictionary<string, object>? properties = null)
    {
        properties ??= new Dictionary<string, object> { ["source"] = "intake" };
        var applicationProperties = new JsonObject();
        foreach (var (name, value) in properties)
        {
            applicationProperties[name] = JsonSerializer.SerializeToNode(value);
        }

        var doubled = encoding is MessageEncoding.DoubleEncoded or MessageEncoding.Base64DoubleEncoded;
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(body));
        JsonNode? message = encoding switch
        {
            MessageEncoding.DoubleEncoded => JsonSerializer.Serialize(body),
            MessageEncoding.Plain => body,
            MessageEncoding.Object => JsonNode.Parse(body),
            MessageEncoding.Base64 => base64,
            _ => JsonSerializer.Serialize(base64),
        };
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { ["message"] = message },
            ["Metadata"] = new JsonObject
            {
                ["DeliveryCount"] = doubled ? JsonSerializer.Serialize(deliveryCount) : deliveryCount,
                ["MessageId"] = doubled ? JsonSerializer.Serialize(messageId) : messageId,
                ["ContentType"] = doubled ? JsonSerializer.Serialize("application/json") : "application/json",
                ["SequenceNumber"] = doubled ? "42" : 42,
                ["EnqueuedTimeUtc"] = doubled ? "\"2025-06-30T01:39:09\"" : "2025-06-30T01:39:09Z",
                ["ExpiresAtUtc"] = doubled ? "\"2025-07-14T01:39:09\"" : "2025-07-14T01:39:09Z",
                ["UserProperties"] = doubled ? applicationProperties.ToJsonString() : applicationProperties.DeepClone(),
                ["ApplicationProperties"] = applicationProperties,
                ["MessageReceiver"] = new JsonObject(),
                ["MessageActions"] = new JsonObject(),
                ["sys"] = Sys("ProcessTemplateEvent"),
            },
        };
        return payload.ToJsonString();
    }

    /// <summary>The invocation the host makes for a message as the app sent or scheduled it (double-encoded, as the host's code does).</summary>
    public static string ServiceBus(global::Azure.Messaging.ServiceBus.ServiceBusMessage message, int deliveryCount = 1) =>
        ServiceBus(message.Body.ToString(), MessageEncoding.DoubleEncoded, message.MessageId, deliveryCount, new Dictionary<string, object>(message.ApplicationProperties));

    /// <summary>The timerTrigger request body for a binding named <c>timer</c>; its only metadata is <c>sys</c>.</summary>
    public static string Timer() => new JsonObject
    {
        ["Data"] = new JsonObject
        {
            ["timer"] = new JsonObject
            {
                ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                ["ScheduleStatus"] = new JsonObject
                {
                    ["Last"] = "2025-06-30T01:39:00+00:00",
                    ["Next"] = "2025-06-30T01:40:00+00:00",
                    ["LastUpdated"] = "2025-06-30T01:39:00+00:00",
                },
                ["IsPastDue"] = false,
            },
        },
        ["Metadata"] = new JsonObject { ["sys"] = Sys("DispatchNotifications") },
    }.ToJsonString();

    public static StringContent Content(string json) => new(json, Encoding.UTF8, "application/json");


    private static JsonObject Sys(string method) => new()
    {
        ["MethodName"] = method,
        ["UtcNow"] = "2025-06-30T01:39:10.0000000Z",
        ["RandGuid"] = Guid.NewGuid().ToString(),
    };
}
