using System.Globalization;

namespace WebhookProcessor.AzureRest.Tables;

/// <summary>
/// OData <c>$filter</c> text with every value quoted as its literal, so values never become syntax:
/// <c>TableFilter.Create($"PartitionKey eq {pk} and Count gt {10L}")</c>.
/// </summary>
public static class TableFilter
{
    /// <summary>A string literal: single quotes around, inner single quotes doubled.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string Create(FormattableString filter)
    {
        var arguments = filter.GetArguments().Select(Literal).ToArray();
        return string.Format(CultureInfo.InvariantCulture, filter.Format, arguments);
    }

    /// <summary>Rows whose key starts with <paramref name="prefix"/>: <c>name ge 'prefix' and name lt 'prefiy'</c>.</summary>
    public static string StartsWith(string keyName, string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var upper = prefix[..^1] + (char)(prefix[^1] + 1);
        return $"{keyName} ge {Quote(prefix)} and {keyName} lt {Quote(upper)}";
    }

    public static string Literal(object? value) => value switch
    {
        null => throw new ArgumentException("Table Storage has no null literal; filter on the property's absence in code."),
        string s => Quote(s),
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d => d.ToString("R", CultureInfo.InvariantCulture) is var text && (text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal)) ? text : text + ".0",
        DateTimeOffset t => "datetime'" + t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + "'",
        DateTime t => Literal(new DateTimeOffset(DateTime.SpecifyKind(t, t.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : t.Kind))),
        Guid g => "guid'" + g.ToString("D") + "'",
        byte[] bytes => "X'" + Convert.ToHexStringLower(bytes) + "'",
        _ => throw new ArgumentException($"{value.GetType().Name} has no OData literal in Table Storage."),
    };
}
