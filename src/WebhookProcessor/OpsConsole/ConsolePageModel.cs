using Microsoft.AspNetCore.Mvc.RazorPages;

namespace WebhookProcessor.OpsConsole;

/// <summary>What every console page has: the viewer's language and words, and whether they may change things.</summary>
public abstract class ConsolePageModel : PageModel
{
    private ConsoleTexts? _texts;

    public ConsoleTexts T => _texts ??= ConsoleTexts.For(ConsoleLanguage.Of(HttpContext));

    public bool CanChange => ConsoleAuth.IsOperator(User);
}
