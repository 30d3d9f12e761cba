using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace WebhookProcessor.OpsConsole.Pages;

/// <summary>Ends the session. POST only (with the antiforgery token), so no link on another site can sign anyone out.</summary>
public sealed class SignOutModel : ConsolePageModel
{
    public IActionResult OnGet() => RedirectToPage("/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(ConsoleAuth.Scheme);
        return LocalRedirect(Request.PathBase + ConsoleRegistration.BasePath + "/sign-in");
    }
}
