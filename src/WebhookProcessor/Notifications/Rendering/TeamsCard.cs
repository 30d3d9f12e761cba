using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace WebhookProcessor.Notifications;

/// <summary>
/// The Teams Workflows body for an alert: a message with one Adaptive Card 1.4 attachment, built as a
/// JSON tree so no value is ever spliced into JSON text. Teams refuses cards above about 28 KB, so
/// a card over the cap is rebuilt with shorter texts and fewer digest items until it fits.
/// </summary>
/// <remarks>
/// Every text is a <c>TextRun</c> inside a <c>RichTextBlock</c> (schema 1.2+), never a <c>TextBlock</c>
/// or a <c>FactSet</c>. Those two are Markdown-processed by the card host, so a template name, reason or
/// display name that Meta or a sender controls could become a link (<c>[verify](https://…)</c>) or
/// formatting, and the everyday snake_case name (<c>payment_reminder_v4</c>) is italicised by some
/// Teams clients between its underscores. Escaping is no answer: a backslash escape is hidden by the
/// desktop client but shown literally by the mobile ones. A TextRun is plain text on every client, so
/// names, languages and ids show exactly as Meta wrote them; its own properties give the bold and
/// subtle styling the card needs. Our own wording goes the same way because it is built around those
/// values (the title names the template).
/// </remarks>
internal static class TeamsCard
{
    /// <summary>Room for the envelope, a title and the notes; smaller caps are a configuration mistake.</summary>
    public const int MinPayloadBytes = 2048;

    // Longest text kept per text run, tried in turn; the full texts stay in the e-mail.
    private static readonly int[] TextLimits = [int.MaxValue, 4000, 2000, 1000, 500, 250, 120, 60];

    // Letters of every script stay readable (Spanish accents are not turned into \u escapes);
    // quotes, control characters and HTML-sensitive characters are still escaped.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public static string Build(AlertMessage message, AlertTexts texts, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, MinPayloadBytes);

        foreach (var limit in TextLimits)
        {
            var cut = limit == int.MaxValue ? message : Shorten(message, limit);
            var shortened = !ReferenceEquals(cut, message);
            var payload = Serialize(cut, texts, cut.Digest.Count, shortened);
            if (Fits(payload, maxBytes))
                return payload;
            if (cut.Digest.Count > 0 && FewerItems(cut, texts, maxBytes, shortened) is { } fewer)
                return fewer;
        }

        // Only a cap near the minimum gets here. The facts go first (the title still names the template
        // and language, and the e-mail has them all), then everything but the title and the note.
        var factless = Shorten(message, TextLimits[^1]) with { Facts = [] };
        var withoutFacts = Serialize(factless, texts, factless.Digest.Count, shortened: true);
        if (Fits(withoutFacts, maxBytes))
            return withoutFacts;
        if (factless.Digest.Count > 0 && FewerItems(factless, texts, maxBytes, shortened: true) is { } fewerWithoutFacts)
            return fewerWithoutFacts;

        var bare = Shorten(message, 60) with { Paragraphs = [], Facts = [], MetaTexts = [], Digest = [], Actions = [] };
        return Serialize(bare, texts, 0, shortened: true);
    }

    private static bool Fits(string payload, int maxBytes) => Encoding.UTF8.GetByteCount(payload) <= maxBytes;

    // The most digest items that fit; the size grows with the count, so a binary search finds it.
    private static string? FewerItems(AlertMessage m, AlertTexts texts, int maxBytes, bool shortened)
    {
        string? best = null;
        int low = 0, high = m.Digest.Count - 1;
        while (low <= high)
        {
            var count = low + ((high - low) / 2);
            var payload = Serialize(m, texts, count, shortened);
            if (Fits(payload, maxBytes))
            {
                best = payload;
                low = count + 1;
            }
            else
            {
                high = count - 1;
            }
        }
        return best;
    }

    private static AlertMessage Shorten(AlertMessage m, int limit)
    {
        var changed = false;
        string Cut(string text)
        {
            var cut = TextCut.ToLength(text, limit);
            changed |= !ReferenceEquals(cut, text);
            return cut;
        }

        var shorter = m with
        {
            Title = Cut(m.Title),
            Paragraphs = [.. m.Paragraphs.Select(Cut)],
            Facts = [.. m.Facts.Select(f => new AlertLine(Cut(f.Label), Cut(f.Value)))],
            MetaTexts = [.. m.MetaTexts.Select(q => new AlertLine(Cut(q.Label), Cut(q.Value)))],
            Digest = [.. m.Digest.Select(d => new DigestLine(
                Cut(d.Template), Cut(d.TemplateId), Cut(d.Language), Cut(d.Account), Cut(d.Change), Cut(d.EffectiveUtc), Cut(d.EffectiveInWords)))],
            Actions = [.. m.Actions.Select(Cut)],
            Footer = Cut(m.Footer),
        };
        return changed ? shorter : m;
    }

    private static string Serialize(AlertMessage m, AlertTexts t, int digestItems, bool shortened)
    {
        var body = new JsonArray
        {
            Text(m.Title, bold: true, size: "Medium"),
        };
        foreach (var fact in m.Facts)
            body.Add(Fact(fact));
        foreach (var paragraph in m.Paragraphs)
            body.Add(Text(paragraph));
        foreach (var quote in m.MetaTexts)
        {
            body.Add(Text(quote.Label, bold: true));
            body.Add(Text(quote.Value));
        }

        foreach (var d in m.Digest.Take(digestItems))
        {
            body.Add(new JsonObject
            {
                ["type"] = "Container",
                ["separator"] = true,
                ["items"] = new JsonArray
                {
                    Text(d.Template, bold: true),
                    Fact(new(t.TemplateIdLabel, d.TemplateId)),
                    Fact(new(t.LanguageLabel, d.Language)),
                    Fact(new(t.AccountLabel, d.Account)),
                    Fact(new(t.ChangeLabel, d.Change)),
                    Fact(new(t.EffectiveAtLabel, $"{d.EffectiveUtc} · {d.EffectiveInWords}")),
                },
            });
        }
        if (digestItems < m.Digest.Count)
            body.Add(Text(t.AndMore(m.Digest.Count - digestItems), bold: true));

        if (m.Actions.Count > 0)
        {
            body.Add(Text(t.ActionsHeading, bold: true));
            foreach (var action in m.Actions)
                body.Add(Text($"• {action}"));
        }
        if (shortened)
            body.Add(Text(t.ShortenedNote, subtle: true));
        body.Add(Text(m.Footer, subtle: true, size: "Small"));

        var payload = new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject
                {
                    ["contentType"] = "application/vnd.microsoft.card.adaptive",
                    ["contentUrl"] = null,
                    ["content"] = new JsonObject
                    {
                        ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                        ["type"] = "AdaptiveCard",
                        ["version"] = "1.4",
                        ["body"] = body,
                        ["msteams"] = new JsonObject { ["width"] = "Full" },
                    },
                },
            },
        };
        return payload.ToJsonString(Json);
    }

    /// <summary>One paragraph: a RichTextBlock holding a single plain-text run (see the class remarks).</summary>
    private static JsonObject Text(string text, bool bold = false, bool subtle = false, string? size = null) =>
        RichText(Run(text, bold, subtle, size));

    /// <summary>A label and its value on one line, in place of a FactSet (whose values are Markdown).</summary>
    private static JsonObject Fact(AlertLine fact) =>
        RichText(Run($"{fact.Label}: ", bold: true), Run(fact.Value));

    private static JsonObject RichText(params JsonNode[] runs) => new()
    {
        ["type"] = "RichTextBlock",
        ["inlines"] = new JsonArray(runs),
    };

    private static JsonObject Run(string text, bool bold = false, bool subtle = false, string? size = null)
    {
        var run = new JsonObject { ["type"] = "TextRun", ["text"] = text };
        if (bold)
            run["weight"] = "Bolder";
        if (subtle)
            run["isSubtle"] = true;
        if (size is not null)
            run["size"] = size;
        return run;
    }
}
