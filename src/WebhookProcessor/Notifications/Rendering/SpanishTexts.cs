using System.Globalization;
using WebhookProcessor.Meta;

namespace WebhookProcessor.Notifications;

/// <summary>The alerts in Spanish (the default language), addressing the owner as "usted".</summary>
internal sealed class SpanishTexts : AlertTexts
{
    public static readonly SpanishTexts Instance = new();

    private const string MarketingCost =
        "Los mensajes de marketing tienen un precio más alto y solo se pueden enviar a personas que aceptaron recibir mensajes de marketing (opt-in).";

    private const string ReviewInSupportHome =
        "Si cree que la categoría de Meta es incorrecta, solicite una revisión de la categorización en Business Support Home dentro de los 60 días (no se puede pedir por la API).";

    private const string AppealInSupportHome =
        "Si cree que el rechazo es un error, apele: solicite una revisión en Business Support Home.";

    private const string ReviewQuality =
        "Revise la calidad de la plantilla y los comentarios de los destinatarios (bloqueos y denuncias): que el contenido sea relevante y se envíe solo a quien lo espera.";

    public override string Code => "es";

    public override string DateInWords(DateTimeOffset at) => DateWords.Spanish(at);

    public override string OnDate(DateTimeOffset? at) =>
        at is { } value ? $"el {DateWords.Spanish(value)}" : "en una fecha que Meta no indicó";

    public override string Category(string? metaCategory) => metaCategory switch
    {
        null or "" => "desconocida",
        MetaValues.Utility => "UTILITY (utilidad)",
        MetaValues.Authentication => "AUTHENTICATION (autenticación)",
        _ => metaCategory,
    };

    public override string Quality(string? metaScore) => metaScore switch
    {
        null or "" => "desconocida",
        MetaValues.Green => "GREEN (alta)",
        MetaValues.Yellow => "YELLOW (media)",
        MetaValues.Red => "RED (baja)",
        MetaValues.Unknown => "UNKNOWN (pendiente)",
        _ => metaScore,
    };

    public override string KindTitle(string kind) => kind switch
    {
        AlertKinds.CategoryChangeUpcoming => "Cambio de categoría próximo",
        AlertKinds.CategoryChanged => "Categoría cambiada",
        AlertKinds.TemplateRejected => "Plantilla rechazada",
        AlertKinds.TemplatePaused => "Plantilla pausada",
        AlertKinds.TemplateDisabled => "Plantilla desactivada",
        AlertKinds.TemplateFlagged => "Plantilla marcada con riesgo de desactivación",
        AlertKinds.TemplateApproved => "Plantilla aprobada",
        AlertKinds.TemplatePending => "Plantilla en revisión",
        AlertKinds.TemplateReinstated => "Plantilla restablecida",
        AlertKinds.TemplateArchived => "Plantilla archivada",
        AlertKinds.TemplateDeleted => "Plantilla eliminada",
        AlertKinds.TemplateStatusChanged => "Cambio de estado de la plantilla",
        AlertKinds.QualityChanged => "Cambio de calidad de la plantilla",
        AlertKinds.TemplateEdited => "Plantilla editada",
        AlertKinds.CorrectCategoryDetected => "Categoría correcta detectada por Meta",
        AlertKinds.UpcomingDigest => "Próximos cambios de categoría",
        _ => "Aviso sobre una plantilla",
    };

    public override string Greeting(string ownerDisplayName) =>
        string.IsNullOrWhiteSpace(ownerDisplayName) ? "Hola:" : $"Hola, {ownerDisplayName.Trim()}:";

    public override string Footer(string eventId) =>
        $"Aviso automático generado a partir de un webhook de WhatsApp de Meta. Referencia: {eventId}";

    public override string TemplateCount(int count) =>
        count == 1 ? "1 plantilla" : string.Create(CultureInfo.InvariantCulture, $"{count} plantillas");

    public override string AndMore(int count) => string.Create(CultureInfo.InvariantCulture, $"… y {count} más.");

    public override string NoName => "(sin nombre)";
    public override string NotGiven => "no indicado";

    public override string DateUnknown => "desconocida: Meta aún no la indicó";

    public override string DateUnknownHint => "Meta suele aplicar los cambios de categoría el día 1 del mes";
    public override string EstimatedMark => "estimada";

    public override string EstimatedDateNote =>
        "La fecha es una estimación: Meta no indicó cuándo se aplica el cambio. Según su guía de categorización, se aplica el primer día del mes siguiente.";

    public override string ShortenedNote => "Mensaje recortado para respetar el tamaño máximo de Teams.";
    public override string ActionsHeading => "Qué puede hacer";
    public override string DigestHeading => "Cambios pendientes";

    public override string TemplateLabel => "Plantilla";
    public override string TemplateIdLabel => "ID de plantilla";
    public override string LanguageLabel => "Idioma";
    public override string AccountLabel => "Cuenta (WABA)";
    public override string CategoryLabel => "Categoría actual";
    public override string NewCategoryLabel => "Nueva categoría";
    public override string PreviousCategoryLabel => "Categoría anterior";
    public override string DetectedCategoryLabel => "Categoría detectada";
    public override string EffectiveAtLabel => "Fecha efectiva";
    public override string ChangeLabel => "Cambio";
    public override string EventLabel => "Evento de Meta";
    public override string ReasonLabel => "Motivo";
    public override string PauseLabel => "Tipo de pausa";
    public override string DisableDateLabel => "Fecha de desactivación";
    public override string PreviousQualityLabel => "Calidad anterior";
    public override string NewQualityLabel => "Calidad nueva";
    public override string SentAtLabel => "Aviso de Meta";
    public override string OwnerLabel => "Responsable";
    public override string TemplatesLabel => "Plantillas";
    public override string MetaReasonLabel => "Motivo indicado por Meta";
    public override string MetaRecommendationLabel => "Recomendación de Meta";
    public override string MetaDescriptionLabel => "Descripción de Meta";

    public override AlertBody Upcoming(AlertView v) => new(
        [
            $"Meta cambiará la categoría de la plantilla {v.TemplateRef} de {v.Category} a {v.NewCategory} {v.OnEffective}.",
            "La plantilla sigue aprobada y se puede seguir enviando, antes y después del cambio; lo que cambia es la categoría con la que se cobra cada mensaje.",
            .. If(v.NewIsMarketing, MarketingCost),
        ],
        [
            $"Si la nueva categoría es la correcta, cree una plantilla nueva en esa categoría, o ajuste el contenido para que corresponda a {v.Category}, y úsela en lugar de esta.",
            ReviewInSupportHome,
        ]);

    public override AlertBody UpcomingToAuthentication(AlertView v) => new(
        [
            $"Meta determinó que la plantilla {v.TemplateRef}, hoy de categoría {v.Category}, corresponde a AUTHENTICATION (autenticación).",
            $"La categoría no se cambiará: {v.OnEffective} (el primer día del mes siguiente) la plantilla pasará a REJECTED con el motivo INCORRECT_CATEGORY y ya no se podrá enviar. Hasta entonces sigue aprobada.",
        ],
        [
            "Cree una plantilla de AUTHENTICATION para los códigos de verificación y pase los envíos a ella antes de esa fecha.",
            ReviewInSupportHome,
        ]);

    public override AlertBody Changed(AlertView v) => new(
        [
            $"La plantilla {v.TemplateRef} pasó de {v.PreviousCategory} a {v.NewCategory} {v.OnEffective}.",
            $"Sigue aprobada; desde el cambio, cada mensaje se cobra como {v.NewCategory}.",
            .. If(v.NewIsMarketing, MarketingCost),
        ],
        [
            .. If(v.NewIsMarketing, "Antes de seguir enviándola, compruebe que los destinatarios aceptaron recibir mensajes de marketing."),
            "Si no está de acuerdo, solicite una revisión de la categorización en Business Support Home dentro de los 60 días posteriores al cambio (no se puede pedir por la API).",
            "También puede crear una plantilla nueva cuyo contenido corresponda a la categoría que necesita.",
        ]);

    public override AlertBody RejectedCategory(AlertView v) => new(
        [
            $"Meta rechazó la plantilla {v.TemplateRef} (motivo {v.Reason}): su contenido no corresponde a la categoría elegida, {v.Category}. Una plantilla rechazada no se puede enviar.",
            .. If(AlertView.Is(v.Facts.Reason, MetaValues.IncorrectCategory),
                "Meta usa este motivo también cuando determina que la plantilla debería ser de autenticación."),
        ],
        [
            "Edite la categoría de la plantilla rechazada (por la API o en WhatsApp Manager) para que corresponda al contenido, y vuelva a enviarla a revisión.",
            "Si cree que la categoría elegida era correcta, solicite una revisión en Business Support Home.",
        ]);

    public override AlertBody RejectedFormat(AlertView v) => new(
        [
            $"Meta rechazó la plantilla {v.TemplateRef} por formato no válido (INVALID_FORMAT). Una plantilla rechazada no se puede enviar.",
            v.Facts.RejectionReason is null && v.Facts.RejectionRecommendation is null
                ? "Meta no envió detalles del problema."
                : "Debajo están la explicación y la recomendación de Meta, tal como las envió.",
        ],
        [
            "Corrija la plantilla según la recomendación de Meta (por ejemplo, el formato de las variables) y vuelva a enviarla a revisión.",
            AppealInSupportHome,
        ]);

    public override AlertBody RejectedPolicy(AlertView v) => new(
        [$"Meta rechazó la plantilla {v.TemplateRef} porque considera que su contenido infringe las políticas de WhatsApp (motivo {v.Reason}). Una plantilla rechazada no se puede enviar."],
        [
            "Edite el contenido para que cumpla las políticas de WhatsApp Business y vuelva a enviarla a revisión.",
            AppealInSupportHome,
        ]);

    public override AlertBody RejectedOther(AlertView v) => new(
        [$"Meta rechazó la plantilla {v.TemplateRef} (motivo: {v.Reason}). Una plantilla rechazada no se puede enviar."],
        [
            "Revise el contenido y la categoría, corríjalos y vuelva a enviar la plantilla a revisión.",
            AppealInSupportHome,
        ]);

    public override AlertBody PausedFirst(AlertView v) => new(
        [
            $"Meta pausó la plantilla {v.TemplateRef} durante 3 horas por baja calidad (comentarios negativos de los destinatarios). Se reanuda sola al terminar la pausa; mientras tanto no se puede enviar.",
            "Si la calidad no mejora, la siguiente pausa dura 6 horas y una tercera pausa desactiva la plantilla.",
        ],
        [ReviewQuality, "Mientras tanto, use otra plantilla aprobada para los envíos urgentes."]);

    public override AlertBody PausedSecond(AlertView v) => new(
        [
            $"Meta pausó la plantilla {v.TemplateRef} por segunda vez, durante 6 horas, por baja calidad. Se reanuda sola al terminar la pausa; mientras tanto no se puede enviar.",
            "Una tercera pausa desactivará la plantilla.",
        ],
        [ReviewQuality, "Considere dejar de usarla hasta mejorar el contenido, para evitar la desactivación."]);

    public override AlertBody PausedByPacing(AlertView v) => new(
        [
            $"Meta pausó la plantilla {v.TemplateRef} por el control de ritmo de plantillas (template pacing). Esta pausa no termina sola: hay que reanudar la plantilla manualmente.",
        ],
        [
            ReviewQuality,
            $"Después, reanúdela con la API (POST /{v.UnpauseId}/unpause) o en WhatsApp Manager.",
        ]);

    public override AlertBody PausedOther(AlertView v) => new(
        [$"Meta pausó la plantilla {v.TemplateRef} (tipo de pausa: {v.PauseTitle}). Mientras está pausada no se puede enviar."],
        [ReviewQuality, "Consulte el estado de la plantilla en WhatsApp Manager."]);

    public override AlertBody Disabled(AlertView v) => new(
        [
            $"Meta desactivó la plantilla {v.TemplateRef}, por ejemplo tras una tercera pausa por baja calidad. Ya no se puede enviar.",
            .. If(v.OnDisable is not null, $"Fecha de desactivación: {v.OnDisable}."),
        ],
        [
            "Cree una plantilla nueva con contenido mejorado (relevante y enviado solo a quien lo espera) y úsela en lugar de esta.",
            "Las plantillas desactivadas no se pueden eliminar: esta seguirá apareciendo en la lista.",
        ]);

    public override AlertBody Flagged(AlertView v) => new(
        [
            $"Meta marcó la plantilla {v.TemplateRef} por comentarios negativos de los destinatarios: corre riesgo de ser desactivada.",
            .. If(v.OnDisable is not null, $"Según Meta, podría desactivarse {v.OnDisable}."),
        ],
        [
            "Mejore el contenido y la segmentación: envíela solo a quien espera el mensaje y facilite dejar de recibirlo.",
            "Si la calidad mejora, Meta retira la marca y recibirá un aviso de plantilla restablecida.",
        ]);

    public override AlertBody Approved(AlertView v) => new(
        [$"Meta aprobó la plantilla {v.TemplateRef} en la categoría {v.Category}; ya se puede enviar."],
        ["Compruebe la categoría: desde abril de 2025, Meta aprueba como MARKETING una plantilla enviada como UTILITY si su contenido es de marketing."]);

    public override AlertBody Pending(AlertView v) => new(
        [$"La plantilla {v.TemplateRef} está en revisión en Meta; hasta que se apruebe no se puede enviar."],
        ["No hace falta hacer nada por ahora."]);

    public override AlertBody Reinstated(AlertView v) => new(
        [$"Meta restableció la plantilla {v.TemplateRef}: ya no está marcada ni desactivada y se puede enviar de nuevo."],
        ["Siga vigilando su calidad para evitar nuevas pausas."]);

    public override AlertBody Archived(AlertView v) => new(
        [
            $"La plantilla {v.TemplateRef} fue archivada (Meta archiva automáticamente las plantillas que no se usan durante 12 meses).",
            $"Se eliminará 28 días después del archivado, hacia el {DateWords.Spanish(v.ArchiveDeletion)}, salvo que se desarchive.",
        ],
        ["Si todavía la necesita, desarchívela antes de esa fecha."]);

    public override AlertBody Deleted(AlertView v) => new(
        [$"La plantilla {v.TemplateRef} fue eliminada y ya no se puede enviar."],
        ["Si no fue intencional, cree la plantilla de nuevo. Si estaba aprobada, su nombre no se puede reutilizar durante 30 días: use otro nombre."]);

    public override AlertBody StatusChanged(AlertView v) => v.Facts.StatusEvent switch
    {
        MetaValues.Locked => new(
            [$"La plantilla {v.TemplateRef} está bloqueada (LOCKED): no se puede editar."],
            ["Si necesita cambiar el contenido, cree una plantilla nueva."]),
        MetaValues.InAppeal => new(
            [$"La plantilla {v.TemplateRef} está en apelación (IN_APPEAL)."],
            ["No hace falta hacer nada: Meta avisará el resultado."]),
        MetaValues.LimitExceeded => new(
            [$"La cuenta {v.Account} alcanzó su límite de plantillas (LIMIT_EXCEEDED)."],
            ["Elimine las plantillas que ya no use, o verifique el negocio para ampliar el límite."]),
        MetaValues.Unarchived => new(
            [$"La plantilla {v.TemplateRef} fue desarchivada: volvió al estado que tenía antes de archivarse y ya no se eliminará."],
            []),
        MetaValues.PendingDeletion => new(
            [$"La plantilla {v.TemplateRef} está pendiente de eliminación (PENDING_DELETION)."],
            ["Si no fue intencional, cree la plantilla de nuevo con otro nombre."]),
        _ => new(
            [$"El estado de la plantilla {v.TemplateRef} cambió: {v.StatusEvent}."],
            ["Consulte la plantilla en WhatsApp Manager."]),
    };

    public override AlertBody QualityChanged(AlertView v) => v.Facts.NewQualityScore switch
    {
        MetaValues.Red => new(
            [
                $"La calidad de la plantilla {v.TemplateRef} bajó de {v.PreviousQuality} a {v.NewQuality}.",
                "Con calidad baja, Meta puede pausar la plantilla (3 horas, luego 6) y desactivarla a la tercera pausa.",
            ],
            [ReviewQuality]),
        MetaValues.Yellow => new(
            [$"La calidad de la plantilla {v.TemplateRef} cambió de {v.PreviousQuality} a {v.NewQuality}."],
            [ReviewQuality]),
        _ => new(
            [$"La calidad de la plantilla {v.TemplateRef} cambió de {v.PreviousQuality} a {v.NewQuality}."],
            ["No hace falta hacer nada."]),
    };

    public override AlertBody Edited(AlertView v) => new(
        [$"Se editó el contenido de la plantilla {v.TemplateRef}; Meta la revisa de nuevo."],
        [
            "Si no reconoce esta edición, revise quién tiene acceso a la cuenta.",
            "Una plantilla aprobada admite como máximo 10 ediciones en 30 días, y 1 cada 24 horas.",
        ]);

    public override AlertBody CorrectCategoryDetected(AlertView v) => new(
        [$"Meta detectó que la plantilla {v.TemplateRef}, enviada como {v.Category}, corresponde a {v.NewCategory} (envío directo de utilidad, Utility Direct Send)."],
        ["Revise el contenido: si es promocional, envíelo como plantilla de marketing; si debe ser de utilidad, quite el contenido promocional."]);

    public override AlertBody Digest(int count) => new(
        [
            $"Tiene {TemplateCount(count)} con un cambio de categoría pendiente, de la más próxima a la más lejana.",
            "Las plantillas siguen aprobadas y se pueden enviar; cada cambio modifica la categoría con la que se cobran sus mensajes.",
        ],
        [
            "Revise cada plantilla antes de su fecha: cree una plantilla nueva en la categoría correcta, o ajuste el contenido.",
            ReviewInSupportHome,
        ]);
}
