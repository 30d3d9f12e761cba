using System.Globalization;
using System.Text;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.Benchmarks;

/// <summary>
/// Realistic Meta template webhooks, shaped like the samples in tests/Samples/meta and compact like
/// Meta sends them. Each sequence number gives a different body (its own entry.time, so its own event
/// id), so no two requests of a run are deduplicated into one.
/// </summary>
internal static class WebhookBodies
{
    /// <summary>2026-01-01T00:00:00Z: entry times count up from here, one second per sequence number.</summary>
    private const long BaseTime = 1_767_225_600;
    private const long BaseTemplateId = 1_100_000_000_000_000;

    private static readonly string[] Accounts = ["102290129340398", "109876543210987", "104455667788990", "118822334455667"];
    private static readonly string[] Names = ["order_confirmation", "shipping_update", "payment_reminder", "spring_promo", "account_alert", "appointment_reminder", "welcome_message", "delivery_window"];
    private static readonly string[] Languages = ["en_US", "pt_BR", "es_MX", "en_GB", "de", "fr", "id"];
    private static readonly string[] Categories = ["UTILITY", "MARKETING", "UTILITY", "AUTHENTICATION"];
    private static readonly string[] Qualities = ["GREEN", "YELLOW", "RED", "GREEN", "UNKNOWN"];

    /// <summary>
    /// One <c>message_template_status_update</c> webhook: the traffic the ingest benchmark sends. The mix of
    /// events (plain approvals, pauses with other_info, rejections, flags and disables with disable_info)
    /// averages about 400 bytes.
    /// </summary>
    public static string StatusUpdate(long sequence, int templates = 5_000) => StatusUpdate(sequence, templates, sequence);

    private static string StatusUpdate(long sequence, int templates, long variant)
    {
        var t = Template(sequence, templates);
        var time = BaseTime + sequence;
        var value = (variant % 10) switch
        {
            0 or 1 or 2 or 3 => Status(t, "APPROVED", "NONE", ""),
            4 or 5 => Status(t, "PAUSED", "NONE", Invariant($",\"other_info\":{{\"title\":\"FIRST_PAUSE\",\"description\":\"Your WhatsApp message template has been paused for 3 hours because it had issues. Ref {sequence}.\"}}")),
            6 => Status(t, "REJECTED", "INVALID_FORMAT", ""),
            7 => Status(t, "FLAGGED", "NONE", Invariant($",\"disable_info\":{{\"disable_date\":{time + 604_800}}}")),
            8 => Status(t, "DISABLED", "NONE", Invariant($",\"disable_info\":{{\"disable_date\":{time}}}")),
            _ => Status(t, "APPROVED", "NONE", ",\"other_info\":{\"title\":\"UNPAUSE\",\"description\":\"Your WhatsApp message template has been unpaused.\"}"),
        };
        return Envelope(t.Account, time, "message_template_status_update", value);
    }

    /// <summary>
    /// The worker benchmark's mix over <paramref name="templates"/> templates: 60 % status updates, 20 %
    /// category updates (announced and completed) and 20 % quality updates. Times only grow, so nearly
    /// every event changes its template and the catalog upsert path runs, not just the history insert.
    /// </summary>
    public static string Mixed(long sequence, int templates)
    {
        var t = Template(sequence, templates);
        var time = BaseTime + sequence;
        var round = sequence / templates;
        return (sequence % 10) switch
        {
            0 or 1 or 2 or 3 or 4 or 5 => StatusUpdate(sequence, templates, (sequence / 10 * 6) + (sequence % 10)),
            6 => Envelope(t.Account, time, "template_category_update", Invariant(
                $"{{\"message_template_id\":{t.Id},\"message_template_name\":\"{t.Name}\",\"message_template_language\":\"{t.Language}\",\"new_category\":\"MARKETING\",\"correct_category\":\"MARKETING\",\"category_update_timestamp\":{time + 86_400}}}")),
            7 => Envelope(t.Account, time, "template_category_update", Invariant(
                $"{{\"message_template_id\":{t.Id},\"message_template_name\":\"{t.Name}\",\"message_template_language\":\"{t.Language}\",\"previous_category\":\"{t.Category}\",\"new_category\":\"{Categories[(round + 1) % Categories.Length]}\"}}")),
            _ => Envelope(t.Account, time, "message_template_quality_update", Invariant(
                $"{{\"previous_quality_score\":\"{Qualities[round % Qualities.Length]}\",\"new_quality_score\":\"{Qualities[(round + 1) % Qualities.Length]}\",\"message_template_id\":{t.Id},\"message_template_name\":\"{t.Name}\",\"message_template_language\":\"{t.Language}\"}}")),
        };
    }

    /// <summary>
    /// Writes bodies <paramref name="first"/> .. first+count-1, signed with <paramref name="secret"/>, into
    /// <paramref name="files"/> files <c>{prefix}{k}.txt</c> (body j goes to file j mod files), one
    /// <c>signature TAB body</c> per line, as webhooks.lua reads them. Returns the mean body size.
    /// </summary>
    public static double WriteSignedFiles(string prefix, int files, long first, int count, string secret)
    {
        var writers = new StreamWriter[files];
        long bytes = 0;
        try
        {
            for (var k = 0; k < files; k++)
            {
                writers[k] = new StreamWriter(Invariant($"{prefix}{k}.txt"), append: false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
            }

            for (var j = 0; j < count; j++)
            {
                var body = Encoding.UTF8.GetBytes(StatusUpdate(first + j));
                bytes += body.Length;
                var writer = writers[j % files];
                writer.Write(SignatureVerifier.Sign(secret, body));
                writer.Write('\t');
                writer.Write(Encoding.UTF8.GetString(body));
                writer.Write('\n');
            }
        }
        finally
        {
            foreach (var writer in writers)
            {
                writer?.Dispose();
            }
        }

        return count == 0 ? 0 : (double)bytes / count;
    }

    private static string Status((string Account, long Id, string Name, string Language, string Category) t, string statusEvent, string reason, string extra) =>
        Invariant($"{{\"event\":\"{statusEvent}\",\"message_template_id\":{t.Id},\"message_template_name\":\"{t.Name}\",\"message_template_language\":\"{t.Language}\",\"reason\":\"{reason}\",\"message_template_category\":\"{t.Category}\"{extra}}}");

    private static string Envelope(string account, long time, string field, string value) =>
        Invariant($"{{\"entry\":[{{\"id\":\"{account}\",\"time\":{time},\"changes\":[{{\"value\":{value},\"field\":\"{field}\"}}]}}],\"object\":\"whatsapp_business_account\"}}");

    private static (string Account, long Id, string Name, string Language, string Category) Template(long sequence, int templates)
    {
        var index = (int)(sequence % templates);
        return (
            Accounts[index % Accounts.Length],
            BaseTemplateId + (index * 7_919L),
            Invariant($"{Names[index % Names.Length]}_{index}"),
            Languages[index % Languages.Length],
            Categories[index % Categories.Length]);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
