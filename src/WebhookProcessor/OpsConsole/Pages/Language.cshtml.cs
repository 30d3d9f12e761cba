using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace WebhookProcessor.OpsConsole.Pages;

/// <summary>The language switch: remembers the choice in a cookie and goes back to the page the viewer was on.</summary>
[AllowAnonymous]
public sealed class LanguageModel : ConsolePageModel
{
    public IActionResult OnGet(string? to, string? returnUrl)
    {
        if (ConsoleLanguage.IsSupported(to))
        {
            Response.Cookies.Append(ConsoleLanguage.CookieName, to!, ConsoleLanguage.CookieOptions(HttpContext));
        }

        return LocalRedirect(ConsoleRegistration.SafeReturn(Request, returnUrl));
    }
}
