using System.Runtime.CompilerServices;
using Azure.Data.Tables;

namespace WebhookProcessor.Azure;

/// <summary>Filter pieces whose property name is chosen at run time; values always go through <see cref="TableClient.CreateQueryFilter(FormattableString)"/>.</summary>
internal static class TableFilters
{
    /// <param name="property">A property name of ours, never user input.</param>
    public static string Equal(string property, object value) =>
        TableClient.CreateQueryFilter(FormattableStringFactory.Create(property + " eq {0}", value));

    /// <summary>Rows whose key starts with <paramref name="prefix"/>: at or above it and below its successor.</summary>
    public static string StartsWith(string property, string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var upper = prefix[..^1] + (char)(prefix[^1] + 1);
        return TableClient.CreateQueryFilter(FormattableStringFactory.Create(property + " ge {0} and " + property + " lt {1}", prefix, upper));
    }

    public static string And(params IEnumerable<string> parts) => string.Join(" and ", parts);
}
