using System.Globalization;

namespace WebhookProcessor.Notifications;

/// <summary>
/// Dates as owners read them, always in UTC. Month and weekday names are written out here on purpose:
/// the service runs with invariant globalization, so CultureInfo("es") has no Spanish names to give.
/// </summary>
internal static class DateWords
{
    private static readonly string[] SpanishMonths =
    [
        "enero", "febrero", "marzo", "abril", "mayo", "junio",
        "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
    ];

    // Indexed by DayOfWeek, which starts on Sunday.
    private static readonly string[] SpanishWeekdays =
        ["domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"];

    private static readonly string[] EnglishMonths =
    [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ];

    private static readonly string[] EnglishWeekdays =
        ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    /// <summary>2025-05-02 07:00 UTC</summary>
    public static string Utc(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>viernes, 2 de mayo de 2025, 07:00 (UTC)</summary>
    public static string Spanish(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{SpanishWeekdays[(int)utc.DayOfWeek]}, {utc.Day} de {SpanishMonths[utc.Month - 1]} de {utc.Year}, {utc:HH:mm} (UTC)");
    }

    /// <summary>Friday, 2 May 2025, 07:00 (UTC)</summary>
    public static string English(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{EnglishWeekdays[(int)utc.DayOfWeek]}, {utc.Day} {EnglishMonths[utc.Month - 1]} {utc.Year}, {utc:HH:mm} (UTC)");
    }
}
