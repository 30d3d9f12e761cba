using System.Globalization;
using System.Security.Cryptography;

namespace WebhookProcessor.Reconciliation;

/// <summary>Run ids: <c>yyyyMMddTHHmmssfffZ-xxxxxxxx</c>, so ordinal order is start order and two runs started in the same millisecond still differ.</summary>
public static class ReconciliationRunIds
{
    public static string New(DateTimeOffset startedAt) =>
        startedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>Whether <paramref name="id"/> has the shape <see cref="New"/> makes; anything else is refused before a store is asked.</summary>
    public static bool IsWellFormed(string id) =>
        id.Length == 28 && id[8] == 'T' && id[18] == 'Z' && id[19] == '-'
        && id.AsSpan(0, 8).ContainsAnyExcept("0123456789") is false
        && id.AsSpan(9, 9).ContainsAnyExcept("0123456789") is false
        && id.AsSpan(20).ContainsAnyExcept("0123456789abcdef") is false;
}
