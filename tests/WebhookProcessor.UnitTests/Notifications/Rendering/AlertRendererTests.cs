using System.Text;
using System.Text.Json;
using WebhookProcessor.Notifications;

namespace WebhookProcessor.UnitTests.Notifications;

public sealed class AlertRendererTests
{
    private const string Name = "payment_reminder";
    private const long Id = 1234567890123456;
    private const string IdText = "1234567890123456";
    private const string Lang = "es_MX";
    private const string Waba = "102290129340398";
    private const int Cap = 27 * 1024;

    private static readonly DateTimeOffset Effective = new(2025, 5, 2, 7, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Sent = new(2025, 5, 1, 7, 0, 0, TimeSpan.Zero);

    // The kind's words every subject must carry, written out here rather than read from the code.
    private static readonly Dictionary<string, (string Es, string En)> KindWords = new()
    {
        [AlertKinds.CategoryChangeUpcoming] = ("Cambio de categoría próximo", "Upcoming category change"),
        [AlertKinds.CategoryChanged] = ("Categoría cambiada", "Category changed"),
        [AlertKinds.TemplateRejected] = ("Plantilla rechazada", "Template rejected"),
        [AlertKinds.TemplatePaused] = ("Plantilla pausada", "Template paused"),
        [AlertKinds.TemplateDisabled] = ("Plantilla desactivada", "Template disabled"),
        [AlertKinds.TemplateFlagged] = ("riesgo de desactivación", "at risk of being disabled"),
        [AlertKinds.TemplateApproved] = ("Plantilla aprobada", "Template approved"),
        [AlertKinds.TemplatePending] = ("Plantilla en revisión", "Template in review"),
        [AlertKinds.TemplateReinstated] = ("Plantilla restablecida", "Template reinstated"),
        [AlertKinds.TemplateArchived] = ("Plantilla archivada", "Template archived"),
        [AlertKinds.TemplateDeleted] = ("Plantilla eliminada", "Template deleted"),
        [AlertKinds.TemplateStatusChanged] = ("Cambio de estado de la plantilla (LOCKED)", "Template status changed (LOCKED)"),
        [AlertKinds.QualityChanged] = ("Cambio de calidad", "quality changed"),
        [AlertKinds.TemplateEdited] = ("Plantilla editada", "Template edited"),
        [AlertKinds.CorrectCategoryDetected] = ("Categoría correcta detectada", "Correct category detected"),
        [AlertKinds.UpcomingDigest] = ("Próximos cambios de categoría", "Upcoming category changes"),
    };

    public static TheoryData<string, string> KindsAndLanguages()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in AlertKinds.All)
        {
            data.Add(kind, "es");
            data.Add(kind, "en");
        }
        return data;
    }

    [Fact]
    public void KindWords_EveryAlertKind_IsCovered()
    {
        Assert.Equal(AlertKinds.All.Order(), KindWords.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(KindsAndLanguages))]
    public void Render_EveryKindAndLanguage_NamesKindTemplateLanguageAndAccountInEveryForm(string kind, string language)
    {
        var alert = AlertRenderer.Render(FactsFor(kind), language, "Ana Pérez");

        var words = language == "es" ? KindWords[kind].Es : KindWords[kind].En;
        Assert.StartsWith("[WhatsApp] ", alert.Subject, StringComparison.Ordinal);
        Assert.Contains(words, alert.Subject, StringComparison.Ordinal);
        var card = CardText(alert.TeamsPayload);
        foreach (var form in new[] { HtmlText(alert), alert.Text, card })
        {
            Assert.Contains(words, form, StringComparison.Ordinal);
            Assert.Contains(Name, form, StringComparison.Ordinal);
            Assert.Contains(IdText, form, StringComparison.Ordinal);
            Assert.Contains(Lang, form, StringComparison.Ordinal);
            Assert.Contains(Waba, form, StringComparison.Ordinal);
        }
        if (kind != AlertKinds.UpcomingDigest)
            Assert.Contains($"{Name} ({Lang})", alert.Subject, StringComparison.Ordinal);
        Assert.Contains(language == "es" ? "Hola, Ana Pérez:" : "Hello Ana Pérez,", alert.Text, StringComparison.Ordinal);
        Assert.Contains(language == "es" ? "Qué puede hacer" : "What you can do", alert.Text, StringComparison.Ordinal);
        Assert.Contains(language == "es" ? "Responsable: Ana Pérez\n" : "Owner: Ana Pérez\n", alert.Text, StringComparison.Ordinal);
        Assert.Contains("Ana Pérez", card, StringComparison.Ordinal);
        Assert.Contains($"<html lang=\"{language}\">", alert.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CategoryChangeUpcomingInSpanish_ShowsBothCategoriesAndTheDateInUtcAndInWords()
    {
        var alert = AlertRenderer.Render(FactsFor(AlertKinds.CategoryChangeUpcoming), "es", "Ana");

        Assert.Equal("[WhatsApp] Cambio de categoría próximo: payment_reminder (es_MX)", alert.Subject);
        foreach (var form in new[] { HtmlText(alert), alert.Text, CardText(alert.TeamsPayload) })
        {
            Assert.Contains("de UTILITY (utilidad) a MARKETING el viernes, 2 de mayo de 2025, 07:00 (UTC)", form, StringComparison.Ordinal);
            Assert.Contains("2025-05-02 07:00 UTC", form, StringComparison.Ordinal);
            Assert.Contains("sigue aprobada", form, StringComparison.Ordinal);
            Assert.Contains("opt-in", form, StringComparison.Ordinal);
            Assert.Contains("Business Support Home dentro de los 60 días", form, StringComparison.Ordinal);
            Assert.Contains("cree una plantilla nueva", form, StringComparison.Ordinal);
        }
        Assert.Contains("Fecha efectiva: 2025-05-02 07:00 UTC\n", alert.Text, StringComparison.Ordinal);
        Assert.Contains("Nueva categoría: MARKETING\n", alert.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("estimación", alert.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CategoryChangeUpcomingInEnglish_ShowsBothCategoriesAndTheDateInUtcAndInWords()
    {
        var alert = AlertRenderer.Render(FactsFor(AlertKinds.CategoryChangeUpcoming), "en", "Ana");

        Assert.Equal("[WhatsApp] Upcoming category change: payment_reminder (es_MX)", alert.Subject);
        foreach (var form in new[] { HtmlText(alert), alert.Text, CardText(alert.TeamsPayload) })
        {
            Assert.Contains("from UTILITY to MARKETING on Friday, 2 May 2025, 07:00 (UTC)", form, StringComparison.Ordinal);
            Assert.Contains("2025-05-02 07:00 UTC", form, StringComparison.Ordinal);
            Assert.Contains("stays approved", form, StringComparison.Ordinal);
            Assert.Contains("opted in", form, StringComparison.Ordinal);
            Assert.Contains("Business Support Home within 60 days", form, StringComparison.Ordinal);
            Assert.Contains("not be requested through the API", form, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("es", "La fecha es una estimación", "(estimada)", "domingo, 1 de junio de 2025, 00:00 (UTC)")]
    [InlineData("en", "The date is an estimate", "(estimated)", "Sunday, 1 June 2025, 00:00 (UTC)")]
    public void Render_EstimatedEffectiveDate_SaysItIsAnEstimate(string language, string note, string mark, string words)
    {
        var facts = FactsFor(AlertKinds.CategoryChangeUpcoming) with
        {
            EffectiveAt = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero),
            EffectiveAtEstimated = true,
        };

        var alert = AlertRenderer.Render(facts, language, "Ana");

        foreach (var form in new[] { HtmlText(alert), alert.Text, CardText(alert.TeamsPayload) })
        {
            Assert.Contains(note, form, StringComparison.Ordinal);
            Assert.Contains($"2025-06-01 00:00 UTC {mark}", form, StringComparison.Ordinal);
            Assert.Contains(words, form, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("es", "Categoría anterior: desconocida", "pasó de desconocida a MARKETING el viernes, 2 de mayo de 2025")]
    [InlineData("en", "Previous category: unknown", "moved from unknown to MARKETING on Friday, 2 May 2025")]
    public void Render_CategoryChangedWithoutPreviousCategory_SaysUnknown(string language, string fact, string sentence)
    {
        var facts = FactsFor(AlertKinds.CategoryChanged) with { PreviousCategory = null };

        var alert = AlertRenderer.Render(facts, language, "Ana");

        Assert.Contains(fact, alert.Text, StringComparison.Ordinal);
        Assert.Contains(sentence, alert.Text, StringComparison.Ordinal);
        Assert.Contains("Business Support Home", alert.Text, StringComparison.Ordinal);
        Assert.Contains("60", alert.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "La categoría no se cambiará", "REJECTED con el motivo INCORRECT_CATEGORY")]
    [InlineData("en", "Its category will not change", "REJECTED with reason INCORRECT_CATEGORY")]
    public void Render_UpcomingChangeToAuthentication_SaysTheTemplateWillBeRejectedInstead(string language, string noChange, string rejected)
    {
        var facts = FactsFor(AlertKinds.CategoryChangeUpcoming) with { Category = "MARKETING", NewCategory = "AUTHENTICATION" };

        var alert = AlertRenderer.Render(facts, language, "Ana");

        Assert.Contains(noChange, alert.Text, StringComparison.Ordinal);
        Assert.Contains(rejected, alert.Text, StringComparison.Ordinal);
        Assert.Contains(rejected, CardText(alert.TeamsPayload), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "INCORRECT_CATEGORY", "Edite la categoría de la plantilla rechazada", "vuelva a enviarla a revisión")]
    [InlineData("es", "TAG_CONTENT_MISMATCH", "Edite la categoría de la plantilla rechazada", "vuelva a enviarla a revisión")]
    [InlineData("en", "INCORRECT_CATEGORY", "Edit the rejected template's category", "resubmit it for review")]
    [InlineData("en", "TAG_CONTENT_MISMATCH", "Edit the rejected template's category", "resubmit it for review")]
    public void Render_RejectedForCategory_AdvisesEditingTheCategoryAndResubmitting(string language, string reason, string edit, string resubmit)
    {
        var alert = AlertRenderer.Render(FactsFor(AlertKinds.TemplateRejected) with { Reason = reason }, language, "Ana");

        foreach (var form in new[] { alert.Text, CardText(alert.TeamsPayload) })
        {
            Assert.Contains(edit, form, StringComparison.Ordinal);
            Assert.Contains(resubmit, form, StringComparison.Ordinal);
            Assert.Contains("WhatsApp Manager", form, StringComparison.Ordinal);
            Assert.Contains(reason, form, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("es")]
    [InlineData("en")]
    public void Render_RejectedForInvalidFormat_QuotesMetasTextsVerbatimAndEncodesThemInHtml(string language)
    {
        const string reason = "Variable {{1}} is at the <b>start</b> & end of \"body\".";
        const string recommendation = "Move {{1}} inside the sentence.\nAdd text around it.";
        var facts = FactsFor(AlertKinds.TemplateRejected) with
        {
            Reason = "INVALID_FORMAT",
            RejectionReason = reason,
            RejectionRecommendation = recommendation,
        };

        var alert = AlertRenderer.Render(facts, language, "Ana");

        Assert.Contains(reason, alert.Text, StringComparison.Ordinal);
        Assert.Contains("  Move {{1}} inside the sentence.\n  Add text around it.", alert.Text, StringComparison.Ordinal);
        Assert.Contains("Variable {{1}} is at the &lt;b&gt;start&lt;/b&gt; &amp; end of &quot;body&quot;.", alert.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>start</b>", alert.Html, StringComparison.Ordinal);
        var card = CardStrings(alert.TeamsPayload);
        Assert.Contains(reason, card);
        Assert.Contains(recommendation, card);
        Assert.Contains(language == "es" ? "Recomendación de Meta" : "Meta's recommendation", alert.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "Meta no envió detalles del problema.")]
    [InlineData("en", "Meta sent no details about the problem.")]
    public void Render_InvalidFormatWithoutRejectionInfo_SaysMetaGaveNoDetails(string language, string expected)
    {
        var alert = AlertRenderer.Render(FactsFor(AlertKinds.TemplateRejected) with { Reason = "INVALID_FORMAT" }, language, "Ana");

        Assert.Contains(expected, alert.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Recomendación de Meta", alert.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "SCAM", "infringe las políticas de WhatsApp", "apele")]
    [InlineData("es", "PROMOTIONAL", "infringe las políticas de WhatsApp", "apele")]
    [InlineData("en", "ABUSIVE_CONTENT", "breach of WhatsApp's policies", "appeal")]
    [InlineData("es", null, "motivo: no indicado", "apele")]
    [InlineData("en", "SOMETHING_NEW", "reason: SOMETHING_NEW", "appeal")]
    public void Render_RejectedForPolicyOrUnknownReason_AdvisesEditingOrAppealing(string language, string? reason, string cause, string appeal)
    {
        var alert = AlertRenderer.Render(FactsFor(AlertKinds.TemplateRejected) with { Reason = reason }, language, "Ana");

        Assert.Contains(cause, alert.Text, StringComparison.Ordinal);
        Assert.Contains(appeal, alert.Text, StringComparison.Ordinal);
        Assert.Contains(language == "es" ? "vuelva a enviar" : "resubmit", alert.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "FIRST_PAUSE", "durante 3 horas", "la siguiente pausa dura 6 horas")]
    [InlineData("en", "FIRST_PAUSE", "for 3 hours", "the next pause lasts 6 hours")]
    [InlineData("es", "SECOND_PAUSE", "durante 6 horas", "Una tercera pausa desactivará la plantilla")]
    [InlineData("en", "SECOND_PAUSE", "for 6 hours", "A third pause will disable the template")]
    [InlineData("es", "RATE_LIMITING_PAUSE", "hay que reanudar la plantilla manualmente", "POST /1234567890123456/unpause")]
    [InlineData("en", "RATE_LIMITING_PAUSE", "must be unpaused manually", "POST /1234567890123456/unpause")]
    public void Render_Paused_ExplainsThePauseByTitle(string language, string title, string duration, string next)
    {
        var facts = FactsFor(AlertKinds.TemplatePaused) with { OtherInfoTitle = title, OtherInfoDescription = "Your template has been paused." };

        var alert = AlertRenderer.Render(facts, language, "Ana");

        foreach (var form in new[] { alert.Text, CardText(alert.TeamsPayload) })
        {
            Assert.Contains(duration, form, StringComparison.Ordinal);
            Assert.Contains(next, form, StringComparison.Ordinal);
            Assert.Contains(title, form, StringComparison.Ordinal);
            Assert.Contains("Your template has been paused.", form, StringComparison.Ordinal);
            Assert.Contains(language == "es" ? "comentarios de los destinatarios" : "recipients' feedback", form, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("es", "no se pueden eliminar", "Cree una plantilla nueva", "el sábado, 28 de junio de 2025, 10:00 (UTC)")]
    [InlineData("en", "cannot be deleted", "Create a new template", "on Saturday, 28 June 2025, 10:00 (UTC)")]
    public void Render_Disabled_SaysItCannotBeDeletedAndShowsTheDisableDate(string language, string noDelete, string create, string date)
    {
        var facts = FactsFor(AlertKinds.TemplateDisabled) with { DisableDate = new DateTimeOffset(2025, 6, 28, 10, 0, 0, TimeSpan.Zero) };

        var alert = AlertRenderer.Render(facts, language, "Ana");

        Assert.Contains(noDelete, alert.Text, StringComparison.Ordinal);
        Assert.Contains(create, alert.Text, StringComparison.Ordinal);
        Assert.Contains(date, alert.Text, StringComparison.Ordinal);
        Assert.Contains("2025-06-28 10:00 UTC", alert.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "corre riesgo de ser desactivada", "podría desactivarse el martes, 1 de julio de 2025")]
    [InlineData("en", "at risk of being disabled", "could be disabled on Tuesday, 1 July 2025")]
    public void Render_Flagged_WarnsAndShowsTheFutureDisableDate(string language, string risk, string date)
    {
        var facts = FactsFor(AlertKinds.TemplateFlagged) with { DisableDate = new DateTimeOffset(2025, 7, 1, 12, 0, 0, TimeSpan.Zero) };

        var alert = AlertRenderer.Render(facts, language, "Ana");

        Assert.Contains(risk, alert.Text, StringComparison.Ordinal);
        Assert.Contains(date, alert.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "se eliminará 28 días después", "lunes, 28 de julio de 2025")]
    [InlineData("en", "deleted 28 days after archiving", "Monday, 28 July 2025")]
    public void Render_Archived_GivesTheDeletionDeadline(string language, string rule, string date)
    {
        var facts = FactsFor(AlertKinds.TemplateArchived) with { OccurredAt = new DateTimeOffset(2025, 6, 30, 1, 39, 8, TimeSpan.Zero) };

        var alert = AlertRenderer.Render(facts, language, "Ana");

        Assert.Contains(rule, alert.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(date, alert.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "bajó de GREEN (alta) a RED (baja)")]
    [InlineData("en", "dropped from GREEN (high) to RED (low)")]
    public void Render_QualityDroppedToRed_ShowsBothScoresAndWarnsOfPauses(string language, string expected)
    {
        var alert = AlertRenderer.Render(FactsFor(AlertKinds.QualityChanged), language, "Ana");

        Assert.Contains(expected, alert.Text, StringComparison.Ordinal);
        Assert.Contains(language == "es" ? "tercera pausa" : "third pause", alert.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MaliciousTemplateName_IsEncodedInHtmlAndKeptIntactInTheCard()
    {
        const string evil = "<script>alert('x')</script>";
        var facts = FactsFor(AlertKinds.TemplateRejected) with { TemplateName = evil, RejectionReason = "<img src=x onerror=alert(1)>" };

        var alert = AlertRenderer.Render(facts, "es", "<b>Ana</b>");

        Assert.DoesNotContain("<script>", alert.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", alert.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", alert.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", alert.Html, StringComparison.Ordinal);
        Assert.Contains("Hola, &lt;b&gt;Ana&lt;/b&gt;:", alert.Html, StringComparison.Ordinal);
        Assert.Contains(evil, alert.Text, StringComparison.Ordinal);
        Assert.Contains(evil, CardStrings(alert.TeamsPayload));
        Assert.DoesNotContain("<script>", alert.TeamsPayload, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> MarkdownNames() => new()
    {
        { "[Click to verify](https://evil.example/login)", AlertKinds.TemplateRejected },
        { "**urgent**", AlertKinds.TemplatePaused },
        { "<a href=\"https://evil.example\">x</a>", AlertKinds.TemplateApproved },
        { "_x_", AlertKinds.CategoryChangeUpcoming },
        { "payment_reminder_v4", AlertKinds.TemplateDisabled },
        { "BUILD_SOURCE_TASK", AlertKinds.UpcomingDigest },
    };

    [Theory]
    [MemberData(nameof(MarkdownNames))]
    public void Render_MarkdownInMetaValues_ShowsThemVerbatimOnlyInTextRuns(string hostile, string kind)
    {
        var facts = FactsFor(kind) with
        {
            TemplateName = hostile,
            Language = $"{hostile}_lang",
            RejectionReason = $"reason {hostile}",
            OtherInfoDescription = $"info {hostile}",
        };
        if (kind == AlertKinds.UpcomingDigest)
        {
            facts = facts with { Digest = [new DigestItem(Waba, Id, hostile, $"{hostile}_lang", "UTILITY", "MARKETING", Effective)] };
        }

        var alert = AlertRenderer.Render(facts, "en", $"Owner {hostile}");

        var texts = CardTexts(alert.TeamsPayload);
        // The name is shown exactly as given, as the whole text of a run (not merely somewhere in the JSON)...
        Assert.Contains(texts, t => t.Holder == "TextRun" && t.Text == hostile);
        Assert.Contains(texts, t => t.Holder == "TextRun" && t.Text == $"{hostile}_lang");
        // ...and nothing in the card is in an element whose text Teams parses as Markdown.
        Assert.All(texts, t => Assert.Equal("TextRun", t.Holder));
        Assert.Contains(texts, t => t.Text.Contains($"Owner {hostile}", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_NameWithLineBreaks_GivesASingleLineSubject()
    {
        var facts = FactsFor(AlertKinds.TemplateApproved) with { TemplateName = "x\r\nBcc: victim@example.com" };

        var alert = AlertRenderer.Render(facts, "en", "Ana");

        Assert.DoesNotContain('\r', alert.Subject);
        Assert.DoesNotContain('\n', alert.Subject);
        Assert.Contains("x  Bcc: victim@example.com", alert.Subject, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KindsAndLanguages))]
    public void Render_TeamsPayload_HasTheWorkflowsEnvelopeAndOnlyCard14Elements(string kind, string language)
    {
        var alert = AlertRenderer.Render(FactsFor(kind), language, "Ana");

        using var doc = JsonDocument.Parse(alert.TeamsPayload);
        var root = doc.RootElement;
        Assert.Equal(["type", "attachments"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("message", root.GetProperty("type").GetString());
        var attachment = Assert.Single(root.GetProperty("attachments").EnumerateArray());
        Assert.Equal(["contentType", "contentUrl", "content"], attachment.EnumerateObject().Select(p => p.Name));
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        Assert.Equal(JsonValueKind.Null, attachment.GetProperty("contentUrl").ValueKind);
        var card = attachment.GetProperty("content");
        Assert.Equal(["$schema", "type", "version", "body", "msteams"], card.EnumerateObject().Select(p => p.Name));
        Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", card.GetProperty("$schema").GetString());
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.Equal("1.4", card.GetProperty("version").GetString());
        Assert.Equal("Full", card.GetProperty("msteams").GetProperty("width").GetString());

        var body = card.GetProperty("body").EnumerateArray().ToList();
        Assert.Equal("RichTextBlock", body[0].GetProperty("type").GetString());
        var title = Assert.Single(body[0].GetProperty("inlines").EnumerateArray());
        Assert.Equal("TextRun", title.GetProperty("type").GetString());
        Assert.Equal("Bolder", title.GetProperty("weight").GetString());
        Assert.Contains(language == "es" ? KindWords[kind].Es : KindWords[kind].En, title.GetProperty("text").GetString()!, StringComparison.Ordinal);
        Assert.Equal("RichTextBlock", body[1].GetProperty("type").GetString());
        foreach (var element in Elements(card.GetProperty("body")))
        {
            // TextBlock and FactSet are left out on purpose: their text is Markdown (see TeamsCard).
            Assert.Contains(element.GetProperty("type").GetString(), new[] { "RichTextBlock", "Container" });
            if (element.GetProperty("type").GetString() == "RichTextBlock")
                Assert.All(element.GetProperty("inlines").EnumerateArray(), run => Assert.Equal("TextRun", run.GetProperty("type").GetString()));
        }
    }

    [Theory]
    [InlineData("es", Cap)]
    [InlineData("en", Cap)]
    [InlineData("es", 4096)]
    [InlineData("en", 2048)]
    public void Render_HugeRecommendation_StaysUnderTheCapAsValidJsonAndSaysItWasShortened(string language, int cap)
    {
        var huge = string.Concat(Enumerable.Repeat("Reescriba la variable {{1}} según la guía — ñandú. ", 20_000));
        var facts = FactsFor(AlertKinds.TemplateRejected) with
        {
            Reason = "INVALID_FORMAT",
            RejectionReason = "Short reason.",
            RejectionRecommendation = huge,
        };

        var alert = AlertRenderer.Render(facts, language, "Ana", cap);

        Assert.InRange(Encoding.UTF8.GetByteCount(alert.TeamsPayload), 1, cap);
        var strings = CardStrings(alert.TeamsPayload);
        Assert.Contains(strings, s => s.StartsWith("Reescriba la variable {{1}}", StringComparison.Ordinal) && s.EndsWith('…'));
        Assert.Contains(language == "es" ? "Mensaje recortado para respetar el tamaño máximo de Teams." : "Message shortened to fit the Teams size limit.", strings);
        Assert.Contains(strings, s => s.Contains(language == "es" ? "Plantilla rechazada" : "Template rejected", StringComparison.Ordinal));
        Assert.Contains(huge, alert.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KindsAndLanguages))]
    public void Render_EveryFieldHuge_StaysUnderTheSmallestCapAsValidJson(string kind, string language)
    {
        var huge = new string('<', 50_000) + "ü";
        var facts = FactsFor(kind) with
        {
            TemplateName = huge,
            Language = huge,
            Category = huge,
            NewCategory = huge,
            RejectionReason = huge,
            RejectionRecommendation = huge,
            OtherInfoDescription = huge,
            StatusEvent = huge,
        };

        var alert = AlertRenderer.Render(facts, language, huge, 2048);

        Assert.InRange(Encoding.UTF8.GetByteCount(alert.TeamsPayload), 1, 2048);
        using var doc = JsonDocument.Parse(alert.TeamsPayload);
        Assert.Equal("1.4", doc.RootElement.GetProperty("attachments")[0].GetProperty("content").GetProperty("version").GetString());
    }

    [Theory]
    [InlineData("es", "… y {0} más.")]
    [InlineData("en", "… and {0} more.")]
    public void Render_DigestOfAThousandItems_KeepsTheSoonestItemsUnderTheCapAndCountsTheRest(string language, string more)
    {
        var start = new DateTimeOffset(2025, 5, 2, 7, 0, 0, TimeSpan.Zero);
        // Given latest first, so the renderer has to sort.
        var items = Enumerable.Range(0, 1000).Reverse()
            .Select(i => new DigestItem(Waba, 1_000_000 + i, $"template_{i:D4}", "pt_BR", "UTILITY", "MARKETING", start.AddHours(i)))
            .ToList();
        var facts = FactsFor(AlertKinds.UpcomingDigest) with { Digest = items };

        var alert = AlertRenderer.Render(facts, language, "Ana");

        Assert.InRange(Encoding.UTF8.GetByteCount(alert.TeamsPayload), 1, Cap);
        using var doc = JsonDocument.Parse(alert.TeamsPayload);
        var containers = doc.RootElement.GetProperty("attachments")[0].GetProperty("content").GetProperty("body")
            .EnumerateArray().Where(e => e.GetProperty("type").GetString() == "Container").ToList();
        Assert.InRange(containers.Count, 10, 999);
        Assert.Equal("template_0000", containers[0].GetProperty("items")[0].GetProperty("inlines")[0].GetProperty("text").GetString());
        Assert.Equal("template_0001", containers[1].GetProperty("items")[0].GetProperty("inlines")[0].GetProperty("text").GetString());
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, more, 1000 - containers.Count), CardStrings(alert.TeamsPayload));
        Assert.Contains("template_0999", alert.Html, StringComparison.Ordinal);
        Assert.Contains("template_0999", alert.Text, StringComparison.Ordinal);
        Assert.Contains(language == "es" ? "1000 plantillas" : "1000 templates", alert.Subject, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "viernes, 2 de mayo de 2025, 07:00 (UTC)", "UTILITY (utilidad) → MARKETING")]
    [InlineData("en", "Friday, 2 May 2025, 07:00 (UTC)", "UTILITY → MARKETING")]
    public void Render_Digest_ListsItemsSoonestFirstWithChangeAndDateInBothForms(string language, string words, string change)
    {
        var alert = AlertRenderer.Render(FactsFor(AlertKinds.UpcomingDigest), language, "Ana");

        foreach (var form in new[] { HtmlText(alert), alert.Text, CardText(alert.TeamsPayload) })
        {
            var soon = form.IndexOf("welcome_offer", StringComparison.Ordinal);
            var later = form.IndexOf(Name, StringComparison.Ordinal);
            Assert.True(soon >= 0 && later > soon, "the sooner change comes first");
            Assert.Contains(words, form, StringComparison.Ordinal);
            Assert.Contains("2025-05-02 07:00 UTC", form, StringComparison.Ordinal);
            Assert.Contains(change, form, StringComparison.Ordinal);
            Assert.Contains("en-US", form, StringComparison.Ordinal);
        }
        Assert.Contains("<table style=", alert.Html, StringComparison.Ordinal);
        Assert.Equal(language == "es" ? "[WhatsApp] Próximos cambios de categoría: 2 plantillas" : "[WhatsApp] Upcoming category changes: 2 templates", alert.Subject);
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("")]
    [InlineData("pt_BR")]
    [InlineData("english")]
    public void Render_UnknownLanguage_FallsBackToSpanish(string language)
    {
        var alert = AlertRenderer.Render(FactsFor(AlertKinds.CategoryChangeUpcoming), language, "Ana");

        Assert.Equal("[WhatsApp] Cambio de categoría próximo: payment_reminder (es_MX)", alert.Subject);
        Assert.Contains("viernes, 2 de mayo de 2025", alert.Text, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"es\">", alert.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SameFactsTwice_GivesIdenticalOutput()
    {
        var facts = FactsFor(AlertKinds.UpcomingDigest);

        Assert.Equal(AlertRenderer.Render(facts, "es", "Ana"), AlertRenderer.Render(facts, "es", "Ana"));
    }

    [Fact]
    public void Render_CapBelowTheMinimum_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AlertRenderer.Render(FactsFor(AlertKinds.TemplateApproved), "es", "Ana", 1000));
    }

    [Fact]
    public void Render_Html_IsACompleteDocumentWithInlineStylesOnly()
    {
        var html = AlertRenderer.Render(FactsFor(AlertKinds.CategoryChangeUpcoming), "es", "Ana").Html;

        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"es\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta charset=\"utf-8\">", html, StringComparison.Ordinal);
        Assert.EndsWith("</html>\n", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    private static AlertFacts FactsFor(string kind)
    {
        var facts = new AlertFacts
        {
            Kind = kind,
            EventId = "0123456789abcdef0123456789abcdef",
            WabaId = Waba,
            TemplateId = Id,
            TemplateName = Name,
            Language = Lang,
            Category = "UTILITY",
            OccurredAt = Sent,
        };
        return kind switch
        {
            AlertKinds.CategoryChangeUpcoming => facts with { NewCategory = "MARKETING", EffectiveAt = Effective },
            AlertKinds.CategoryChanged => facts with { Category = "MARKETING", PreviousCategory = "UTILITY", NewCategory = "MARKETING", EffectiveAt = Effective },
            AlertKinds.TemplateRejected => facts with { StatusEvent = "REJECTED", Reason = "INCORRECT_CATEGORY" },
            AlertKinds.TemplatePaused => facts with { StatusEvent = "PAUSED", OtherInfoTitle = "FIRST_PAUSE" },
            AlertKinds.TemplateDisabled => facts with { StatusEvent = "DISABLED" },
            AlertKinds.TemplateFlagged => facts with { StatusEvent = "FLAGGED" },
            AlertKinds.TemplateApproved => facts with { StatusEvent = "APPROVED", Reason = "NONE" },
            AlertKinds.TemplatePending => facts with { StatusEvent = "PENDING" },
            AlertKinds.TemplateReinstated => facts with { StatusEvent = "REINSTATED" },
            AlertKinds.TemplateArchived => facts with { StatusEvent = "ARCHIVED" },
            AlertKinds.TemplateDeleted => facts with { StatusEvent = "DELETED" },
            AlertKinds.TemplateStatusChanged => facts with { StatusEvent = "LOCKED" },
            AlertKinds.QualityChanged => facts with { PreviousQualityScore = "GREEN", NewQualityScore = "RED" },
            AlertKinds.CorrectCategoryDetected => facts with { NewCategory = "MARKETING" },
            AlertKinds.UpcomingDigest => facts with
            {
                TemplateId = null,
                TemplateName = null,
                Language = null,
                Category = null,
                Digest =
                [
                    new DigestItem(Waba, Id, Name, Lang, "UTILITY", "MARKETING", Effective.AddDays(3)),
                    new DigestItem(Waba, 99, "welcome_offer", "en-US", "UTILITY", "MARKETING", Effective),
                ],
            },
            _ => facts,
        };
    }

    // Every string value in the card, in order: the text of each text run (a fact is a label run and a value run).
    private static List<string> CardStrings(string payload) =>
        [.. CardTexts(payload).Select(t => t.Text)];

    // Every text in the card with the element type that holds it; fact titles and values count as FactSet.
    private static List<(string Holder, string Text)> CardTexts(string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        var texts = new List<(string, string)>();
        foreach (var element in Elements(doc.RootElement.GetProperty("attachments")[0].GetProperty("content").GetProperty("body")))
        {
            var type = element.GetProperty("type").GetString()!;
            if (element.TryGetProperty("text", out var text))
                texts.Add((type, text.GetString()!));
            if (element.TryGetProperty("facts", out var facts))
            {
                foreach (var fact in facts.EnumerateArray())
                {
                    texts.Add((type, fact.GetProperty("title").GetString()!));
                    texts.Add((type, fact.GetProperty("value").GetString()!));
                }
            }
            if (element.TryGetProperty("inlines", out var inlines))
            {
                foreach (var run in inlines.EnumerateArray())
                    texts.Add((run.GetProperty("type").GetString()!, run.GetProperty("text").GetString()!));
            }
        }
        return texts;
    }

    // WebUtility.HtmlEncode writes accented letters as numeric entities (ó as &#243;): compare the text a reader sees.
    private static string HtmlText(RenderedAlert alert) => System.Net.WebUtility.HtmlDecode(alert.Html);

    private static string CardText(string payload) => string.Join("\n", CardStrings(payload));

    private static IEnumerable<JsonElement> Elements(JsonElement array)
    {
        foreach (var element in array.EnumerateArray())
        {
            yield return element;
            foreach (var children in new[] { "items", "columns" })
            {
                if (element.TryGetProperty(children, out var nested))
                {
                    foreach (var child in Elements(nested))
                        yield return child;
                }
            }
        }
    }
}
