using System.Globalization;

namespace WebhookProcessor.Ops;

/// <summary>Links the API hands out to one item's stored bytes.</summary>
internal static class OpsRoutes
{
    public static string DeadLetterBody(string id) => $"/api/dead-letters/{Uri.EscapeDataString(id)}/body";

    public static string EventRaw(string eventId) => $"/api/events/{Uri.EscapeDataString(eventId)}/raw";
}
