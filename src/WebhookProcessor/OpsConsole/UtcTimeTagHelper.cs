using System.Globalization;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace WebhookProcessor.OpsConsole;

/// <summary>
/// <c>&lt;utc-time value="…"/&gt;</c>: a time in UTC, as text a machine can read too
/// (<c>&lt;time datetime&gt;</c>); the console's script adds the viewer's local time beside it.
/// A null value renders an empty string unless <see cref="Missing"/> says what to write.
/// </summary>
[HtmlTargetElement("utc-time", TagStructure = TagStructure.WithoutEndTag)]
public sealed class UtcTimeTagHelper : TagHelper
{
    public DateTimeOffset? Value { get; set; }

    public string? Missing { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (Value is not { } value)
        {
            output.TagName = null;
            output.Content.SetContent(Missing ?? string.Empty);
            return;
        }

        var utc = value.ToUniversalTime();
        output.TagName = "time";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("datetime", utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        output.Attributes.SetAttribute("data-local", "");
        output.Content.SetContent(utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC");
    }
}
