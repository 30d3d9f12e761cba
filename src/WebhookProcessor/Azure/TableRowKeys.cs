using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace WebhookProcessor.Azure;

/// <summary>The key layout of every table, in one place.</summary>
internal static class TableRowKeys
{
    public const string CatalogRow = "catalog";
    public const string All = "all";

    /// <summary>Zero-padded so string order is numeric order.</summary>
    public static string Template(long templateId) => "t" + Number(templateId);

    public static string Account(string wabaId) => "a" + TableKey.Escape(wabaId);

    /// <summary>The catalog partition an event belongs to: its template's, or its account's when it names no template.</summary>
    public static string Home(long? templateId, string wabaId) => templateId is { } id ? Template(id) : "w" + TableKey.Escape(wabaId);

    public static string EventRow(string eventId) => "e_" + TableKey.Escape(eventId);

    public static string AlertRow(string notificationId) => "n_" + TableKey.Escape(notificationId);

    /// <summary>The catalog table's partition of reconciliation runs (catalog partitions start with t or w).</summary>
    public const string ReconciliationRuns = "reconciliation-runs";

    /// <summary>The catalog table's partition of reconciliation state, one row per account (WABA).</summary>
    public const string ReconciliationAccounts = "reconciliation-accounts";

    /// <summary>
    /// A run's row: its id with every digit complemented (0 becomes 9, hex 0 becomes f), so ascending row
    /// keys list the newest run first, ties within a millisecond by id descending, and the key follows from
    /// the id alone. Null when the id is not one <see cref="Reconciliation.ReconciliationRunIds"/> makes.
    /// </summary>
    public static string? ReconciliationRun(string runId)
    {
        if (!Reconciliation.ReconciliationRunIds.IsWellFormed(runId))
        {
            return null;
        }

        return string.Create(runId.Length, runId, static (key, id) =>
        {
            for (var i = 0; i < id.Length; i++)
            {
                const string Hex = "0123456789abcdef";
                key[i] = i < 19 ? (char.IsAsciiDigit(id[i]) ? (char)('9' - id[i] + '0') : id[i])
                    : id[i] == '-' ? '-'
                    : Hex[15 - Hex.IndexOf(id[i], StringComparison.Ordinal)];
            }
        });
    }

    /// <summary>Newest first: a row key that sorts later times first, then the id for a stable order within one tick.</summary>
    public static string NewestFirst(DateTimeOffset time, string id) => Inverted(time) + "_" + TableKey.Escape(id);

    /// <summary>The smallest row key of <see cref="NewestFirst"/> rows at or before <paramref name="time"/>.</summary>
    public static string NewestFirstFrom(DateTimeOffset time) => Inverted(time);

    public static string Inverted(DateTimeOffset time) => Number(DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks);

    public static string Number(long value) => value.ToString("D19", CultureInfo.InvariantCulture);

    public static string EncodeCursor(string rowKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes("k:" + rowKey));

    public static string DecodeCursor(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith("k:", StringComparison.Ordinal) ? text[2..] : throw new FormatException("The cursor is not one this service issued.");
        }
        catch (FormatException ex)
        {
            throw new FormatException("The cursor is not one this service issued.", ex);
        }
    }
}
