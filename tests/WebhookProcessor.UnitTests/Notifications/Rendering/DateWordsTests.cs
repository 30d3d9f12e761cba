using WebhookProcessor.Notifications;

namespace WebhookProcessor.UnitTests.Notifications;

public sealed class DateWordsTests
{
    [Theory]
    [InlineData(2025, 5, 4, "domingo, 4 de mayo de 2025", "Sunday, 4 May 2025")]
    [InlineData(2025, 5, 5, "lunes, 5 de mayo de 2025", "Monday, 5 May 2025")]
    [InlineData(2025, 5, 6, "martes, 6 de mayo de 2025", "Tuesday, 6 May 2025")]
    [InlineData(2025, 5, 7, "miércoles, 7 de mayo de 2025", "Wednesday, 7 May 2025")]
    [InlineData(2025, 5, 8, "jueves, 8 de mayo de 2025", "Thursday, 8 May 2025")]
    [InlineData(2025, 5, 9, "viernes, 9 de mayo de 2025", "Friday, 9 May 2025")]
    [InlineData(2025, 5, 10, "sábado, 10 de mayo de 2025", "Saturday, 10 May 2025")]
    [InlineData(2025, 1, 1, "miércoles, 1 de enero de 2025", "Wednesday, 1 January 2025")]
    [InlineData(2024, 2, 29, "jueves, 29 de febrero de 2024", "Thursday, 29 February 2024")]
    [InlineData(2025, 9, 1, "lunes, 1 de septiembre de 2025", "Monday, 1 September 2025")]
    [InlineData(2025, 12, 31, "miércoles, 31 de diciembre de 2025", "Wednesday, 31 December 2025")]
    public void Date_EitherLanguage_IsWrittenOut(int year, int month, int day, string spanish, string english)
    {
        var at = new DateTimeOffset(year, month, day, 7, 5, 0, TimeSpan.Zero);

        Assert.Equal($"{spanish}, 07:05 (UTC)", DateWords.Spanish(at));
        Assert.Equal($"{english}, 07:05 (UTC)", DateWords.English(at));
    }

    [Fact]
    public void OffsetTime_NonUtcOffset_IsShownInUtc()
    {
        var at = new DateTimeOffset(2025, 5, 1, 21, 30, 0, TimeSpan.FromHours(-5));

        Assert.Equal("2025-05-02 02:30 UTC", DateWords.Utc(at));
        Assert.Equal("viernes, 2 de mayo de 2025, 02:30 (UTC)", DateWords.Spanish(at));
        Assert.Equal("Friday, 2 May 2025, 02:30 (UTC)", DateWords.English(at));
    }
}
