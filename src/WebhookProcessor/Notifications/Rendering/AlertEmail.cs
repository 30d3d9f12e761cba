using System.Net;
using System.Text;

namespace WebhookProcessor.Notifications;

/// <summary>
/// The e-mail forms of an alert: a small HTML document with inline styles only (mail clients drop
/// style sheets) and a plain-text alternative with the same content. Every value is HTML-encoded,
/// labels included, so nothing from a webhook can become markup.
/// </summary>
internal static class AlertEmail
{
    private const string Muted = "color:#57606a;";
    private const string Cell = "padding:6px 12px 6px 0;vertical-align:top;border-bottom:1px solid #eaeef2;";

    public static string Html(AlertMessage m, AlertTexts t)
    {
        var h = new StringBuilder(4096);
        h.Append("<!DOCTYPE html>\n<html lang=\"").Append(t.Code).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(m.Subject)).Append("</title>\n</head>\n")
            .Append("<body style=\"margin:0;padding:16px;background:#f6f8fa;font-family:'Segoe UI',Arial,sans-serif;font-size:15px;line-height:1.5;color:#1f2328;\">\n")
            .Append("<div style=\"max-width:680px;margin:0 auto;background:#ffffff;border:1px solid #d0d7de;border-radius:6px;padding:20px;\">\n")
            .Append("<h1 style=\"font-size:20px;line-height:1.3;margin:0 0 16px;\">").Append(E(m.Title)).Append("</h1>\n")
            .Append("<p style=\"margin:0 0 12px;\">").Append(E(m.Greeting)).Append("</p>\n");
        foreach (var paragraph in m.Paragraphs)
            h.Append("<p style=\"margin:0 0 12px;\">").Append(E(paragraph)).Append("</p>\n");

        h.Append("<table role=\"presentation\" style=\"border-collapse:collapse;width:100%;margin:8px 0 16px;\">\n");
        foreach (var fact in m.Facts)
        {
            h.Append("<tr><th scope=\"row\" style=\"").Append(Cell).Append("text-align:left;font-weight:600;white-space:nowrap;\">")
                .Append(E(fact.Label)).Append("</th><td style=\"").Append(Cell).Append("word-break:break-word;\">")
                .Append(E(fact.Value)).Append("</td></tr>\n");
        }
        h.Append("</table>\n");

        foreach (var quote in m.MetaTexts)
        {
            h.Append("<p style=\"margin:12px 0 4px;font-weight:600;\">").Append(E(quote.Label)).Append("</p>\n")
                .Append("<blockquote style=\"margin:0 0 12px;padding:8px 12px;border-left:4px solid #d0d7de;background:#f6f8fa;white-space:pre-wrap;word-break:break-word;\">")
                .Append(E(quote.Value)).Append("</blockquote>\n");
        }

        if (m.Digest.Count > 0)
            AppendDigest(h, m.Digest, t);

        if (m.Actions.Count > 0)
        {
            h.Append("<h2 style=\"font-size:16px;margin:16px 0 8px;\">").Append(E(t.ActionsHeading)).Append("</h2>\n<ul style=\"margin:0 0 12px;padding-left:20px;\">\n");
            foreach (var action in m.Actions)
                h.Append("<li style=\"margin:0 0 6px;\">").Append(E(action)).Append("</li>\n");
            h.Append("</ul>\n");
        }

        h.Append("<p style=\"margin:16px 0 0;font-size:12px;").Append(Muted).Append("\">").Append(E(m.Footer)).Append("</p>\n")
            .Append("</div>\n</body>\n</html>\n");
        return h.ToString();
    }

    public static string Text(AlertMessage m, AlertTexts t)
    {
        var s = new StringBuilder(2048);
        s.Append(m.Title).Append('\n').Append('\n').Append(m.Greeting).Append('\n').Append('\n');
        foreach (var paragraph in m.Paragraphs)
            s.Append(paragraph).Append('\n').Append('\n');
        foreach (var fact in m.Facts)
            s.Append(fact.Label).Append(": ").Append(fact.Value).Append('\n');
        s.Append('\n');

        foreach (var quote in m.MetaTexts)
        {
            s.Append(quote.Label).Append(":\n");
            foreach (var line in quote.Value.Split('\n'))
                s.Append("  ").Append(line.TrimEnd('\r')).Append('\n');
            s.Append('\n');
        }

        if (m.Digest.Count > 0)
        {
            s.Append(t.DigestHeading).Append(":\n");
            for (var i = 0; i < m.Digest.Count; i++)
            {
                var d = m.Digest[i];
                s.Append(i + 1).Append(". ").Append(d.Template).Append(" (").Append(t.TemplateIdLabel).Append(' ').Append(d.TemplateId).Append(")\n")
                    .Append("   ").Append(t.LanguageLabel).Append(": ").Append(d.Language).Append('\n')
                    .Append("   ").Append(t.AccountLabel).Append(": ").Append(d.Account).Append('\n')
                    .Append("   ").Append(t.ChangeLabel).Append(": ").Append(d.Change).Append('\n')
                    .Append("   ").Append(t.EffectiveAtLabel).Append(": ").Append(d.EffectiveUtc).Append(" · ").Append(d.EffectiveInWords).Append('\n');
            }
            s.Append('\n');
        }

        if (m.Actions.Count > 0)
        {
            s.Append(t.ActionsHeading).Append(":\n");
            foreach (var action in m.Actions)
                s.Append("- ").Append(action).Append('\n');
            s.Append('\n');
        }

        s.Append("-- \n").Append(m.Footer).Append('\n');
        return s.ToString();
    }

    private static void AppendDigest(StringBuilder h, IReadOnlyList<DigestLine> digest, AlertTexts t)
    {
        h.Append("<h2 style=\"font-size:16px;margin:16px 0 8px;\">").Append(E(t.DigestHeading)).Append("</h2>\n")
            .Append("<table style=\"border-collapse:collapse;width:100%;margin:0 0 16px;font-size:14px;\">\n<tr>");
        foreach (var label in new[] { t.TemplateLabel, t.LanguageLabel, t.AccountLabel, t.ChangeLabel, t.EffectiveAtLabel })
            h.Append("<th scope=\"col\" style=\"").Append(Cell).Append("text-align:left;font-weight:600;\">").Append(E(label)).Append("</th>");
        h.Append("</tr>\n");
        foreach (var d in digest)
        {
            h.Append("<tr><td style=\"").Append(Cell).Append("word-break:break-word;\">").Append(E(d.Template))
                .Append("<br><span style=\"font-size:12px;").Append(Muted).Append("\">").Append(E(t.TemplateIdLabel)).Append(' ').Append(E(d.TemplateId)).Append("</span></td>")
                .Append("<td style=\"").Append(Cell).Append("\">").Append(E(d.Language)).Append("</td>")
                .Append("<td style=\"").Append(Cell).Append("\">").Append(E(d.Account)).Append("</td>")
                .Append("<td style=\"").Append(Cell).Append("\">").Append(E(d.Change)).Append("</td>")
                .Append("<td style=\"").Append(Cell).Append("\">").Append(E(d.EffectiveUtc))
                .Append("<br><span style=\"font-size:12px;").Append(Muted).Append("\">").Append(E(d.EffectiveInWords)).Append("</span></td></tr>\n");
        }
        h.Append("</table>\n");
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
