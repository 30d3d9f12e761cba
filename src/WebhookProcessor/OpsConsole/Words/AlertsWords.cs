namespace WebhookProcessor.OpsConsole;

/// <summary>Phrases of the alerts page: English key → Spanish.</summary>
internal static class AlertsWords
{
    public static readonly IReadOnlyDictionary<string, string> Spanish = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Alerts, newest first"] = "Alertas, las más recientes primero",
        ["Status"] = "Estado",
        ["Any status"] = "Cualquier estado",
        ["Kind"] = "Tipo",
        ["Any kind"] = "Cualquier tipo",
        ["Time"] = "Fecha y hora",
        ["Template"] = "Plantilla",
        ["Owner"] = "Responsable",
        ["Channel"] = "Canal",
        ["Recipient"] = "Destinatario",
        ["Attempts"] = "Intentos",
        ["Last error"] = "Último error",
        ["Actions"] = "Acciones",
        ["Retry"] = "Reintentar",
        ["Pages"] = "Páginas",
        ["Newest"] = "Más recientes",
        ["date unknown"] = "fecha desconocida",
        ["pending"] = "pendiente",
        ["sending"] = "enviándose",
        ["sent"] = "enviada",
        ["failed"] = "fallida",
        ["unrouted"] = "sin responsable",
        ["rerouted"] = "reenviada a un responsable",
        ["Alert re-sent; it is now {0}."] = "Alerta reenviada; ahora está: {0}.",
        ["There is no such alert."] = "No existe esa alerta.",
        ["Still no owner matches this alert's template, and there is no default owner. Add one under Owners, then retry."] =
            "Todavía ningún responsable corresponde a la plantilla de esta alerta y no hay un responsable predeterminado. Agregue uno en Responsables y vuelva a intentarlo.",
        ["Only failed and unrouted alerts can be re-sent; this one changed meanwhile."] =
            "Solo se pueden reenviar las alertas fallidas o sin responsable; esta cambió mientras tanto.",
    };
}
