using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using WebhookProcessor.Ops;
using WebhookProcessor.Security;

namespace WebhookProcessor.OpsConsole.Pages;

/// <summary>
/// Signs in with an ops API key typed into the form. A wrong key counts against the caller's address
/// like a wrong <c>X-Api-Key</c> does; the key itself is never logged, echoed or put in a URL.
/// </summary>
public sealed partial class SignInModel(IOptionsMonitor<OpsOptions> ops, RefusalLimiter limiter, ILogger<SignInModel> logger) : ConsolePageModel
{
    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? key)
    {
        if (limiter.IsLimited(HttpContext, out _))
        {
            Error = "Too many wrong keys from this address; wait a minute and try again.";
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }

        if (ConsoleAuth.RoleOf(key, ops.CurrentValue) is not { } role)
        {
            limiter.Refuse(HttpContext, client => KeyRejected(logger, client));
            Error = "That key is not configured.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        await HttpContext.SignInAsync(ConsoleAuth.Scheme, ConsoleAuth.Principal(key!, role), new AuthenticationProperties { IsPersistent = false });
        return LocalRedirect(ConsoleRegistration.SafeReturn(Request, ReturnUrl));
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Console sign-in refused: wrong key (remote {RemoteAddress})")]
    private static partial void KeyRejected(ILogger logger, string remoteAddress);
}
