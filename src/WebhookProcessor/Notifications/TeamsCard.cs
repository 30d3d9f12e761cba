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
internal static class TeamsCard
{
    /// <summary>Room for the envelope, a title and the notes; smaller caps are a configuration mistake.</summary>
    public const int MinPayloadBytes = 2048;

    // Longest text kept per TextBlock or fact value, tried in turn; the full texts stay in the e-mail.
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

        // Only a cap near the minimum gets here: the title and the note that the rest was cut.
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
            TextBlock(m.Title, bold: true, size: "Medium"),
        };
        if (m.Facts.Count > 0)
            body.Add(FactSet(m.Facts));
        foreach (var paragraph in m.Paragraphs)
            body.Add(TextBlock(paragraph));
        foreach (var quote in m.MetaTexts)
        {
            body.Add(TextBlock(quote.Label, bold: true));
            body.Add(TextBlock(quote.Value));
        }

        foreach (var d in m.Digest.Take(digestItems))
        {
            body.Add(new JsonObject
            {
                ["type"] = "Container",
                ["separator"] = true,
                ["items"] = new JsonArray
                {
                    TextBlock(d.Template, bold: true),
                    FactSet(
                    [
                        new(t.TemplateIdLabel, d.TemplateId),
                        new(t.LanguageLabel, d.Language),
                        new(t.AccountLabel, d.Account),
                        new(t.ChangeLabel, d.Change),
                        new(t.EffectiveAtLabel, $"{d.EffectiveUtc} · {d.EffectiveInWords}"),
                    ]),
                },
            });
        }
        if (digestItems < m.Digest.Count)
            body.Add(TextBlock(t.AndMore(m.Digest.Count - digestItems), bold: true));

        if (m.Actions.Count > 0)
        {
            body.Add(TextBlock(t.ActionsHeading, bold: true));
            foreach (var action in m.Actions)
                body.Add(TextBlock($"• {action}"));
        }
        if (shortened)
            body.Add(TextBlock(t.ShortenedNote, subtle: true));
        body.Add(TextBlock(m.Footer, subtle: true, size: "Small"));

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

    private static JsonObject TextBlock(string text, bool bold = false, bool subtle = false, string? size = null)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        if (bold)
            block["weight"] = "Bolder";
        if (subtle)
            block["isSubtle"] = true;
        if (size is not null)
            block["size"] = size;
        return block;
    }

    private static JsonObject FactSet(IEnumerable<AlertLine> facts) => new()
    {
        ["type"] = "FactSet",
        ["facts"] = new JsonArray([.. facts.Select(f => (JsonNode)new JsonObject { ["title"] = f.Label, ["value"] = f.Value })]),
    };
}
