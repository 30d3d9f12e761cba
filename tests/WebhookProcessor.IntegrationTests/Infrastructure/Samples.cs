namespace WebhookProcessor.IntegrationTests.Infrastructure;

public static class Samples
{
    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", "meta", name));

    public static IEnumerable<string> WebhookFiles() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Samples", "meta"), "*.json")
            .Select(Path.GetFileName)
            .Where(n => n != "graph-message-templates-list.json")!;

    /// <summary>An owner of every template (no match filters) alerted in Teams only: the ops API's PUT body.</summary>
    public static object TeamsOnlyOwner(string displayName, string teamsWebhookUrl, string language) => new
    {
        displayName,
        emails = Array.Empty<string>(),
        teamsWebhookUrl,
        language,
        match = new { wabaId = (string?)null, templateNamePattern = (string?)null },
    };

    /// <summary>A status webhook for one template; distinct ids and times give distinct events.</summary>
    public static string StatusWebhook(long templateId, long entryTime, string wabaId = "109876543210987", string statusEvent = "APPROVED", string category = "UTILITY", string reason = "NONE") => $$$"""
        {"object":"whatsapp_business_account","entry":[{"id":"{{{wabaId}}}","time":{{{entryTime}}},"changes":[{"field":"message_template_status_update","value":{"event":"{{{statusEvent}}}","message_template_id":{{{templateId}}},"message_template_name":"order_update_{{{templateId % 1000}}}","message_template_language":"es_MX","reason":"{{{reason}}}","message_template_category":"{{{category}}}"}}]}]}
        """;

    public static string CategoryNotice(long templateId, long entryTime, string current, string target, long? effective, string wabaId = "109876543210987")
    {
        var timestamp = effective is null ? string.Empty : $",\"category_update_timestamp\":{effective}";
        return $$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"{{{wabaId}}}","time":{{{entryTime}}},"changes":[{"field":"template_category_update","value":{"message_template_id":{{{templateId}}},"message_template_name":"pago_recordatorio","message_template_language":"es","new_category":"{{{current}}}","correct_category":"{{{target}}}"{{{timestamp}}}}}]}]}
            """;
    }
}
