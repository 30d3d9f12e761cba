using System.Globalization;

namespace WebhookProcessor.OpsConsole;

/// <summary>
/// A count as the console writes it: with a comma between thousands, as both its languages do (en-US and
/// es-MX alike). The service runs in globalization-invariant mode, where no named culture can be loaded,
/// so the grouping is written out rather than looked up.
/// </summary>
public static class CountText
{
    public static string Of(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
