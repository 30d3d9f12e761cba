using Microsoft.Net.Http.Headers;

namespace WebhookProcessor.OpsConsole;

/// <summary>
/// The console's language: the viewer's choice (a cookie set by the switch), else the browser's
/// preference between Spanish and English, else Spanish (the product's first users are in Latin America).
/// </summary>
public static class ConsoleLanguage
{
    public const string English = "en";
    public const string Spanish = "es";
    public const string CookieName = "console-lang";

    public static string Of(HttpContext context)
    {
        if (context.Request.Cookies.TryGetValue(CookieName, out var chosen) && IsSupported(chosen))
        {
            return chosen!;
        }

        var preferred = context.Request.GetTypedHeaders().AcceptLanguage
            .Where(l => l.Quality is not 0)
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => Primary(l.Value.Value))
            .FirstOrDefault(IsSupported);
        return preferred ?? Spanish;
    }

    public static bool IsSupported(string? language) => language is English or Spanish;

    private static string? Primary(string? tag) => tag?.Split('-')[0].ToLowerInvariant();

    /// <summary>The switch's cookie: a year, readable by the page's script is not needed, so HttpOnly too.</summary>
    public static CookieOptions CookieOptions(HttpContext context) => new()
    {
        HttpOnly = true,
        IsEssential = true,
        SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        MaxAge = TimeSpan.FromDays(365),
        Path = "/",
    };

    internal static StringWithQualityHeaderValue Sample => new("es");
}
