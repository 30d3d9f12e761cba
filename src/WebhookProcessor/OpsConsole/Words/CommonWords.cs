namespace WebhookProcessor.OpsConsole;

/// <summary>Phrases of the layout and sign-in, with their Spanish (Latin American usage, formal "usted").</summary>
internal static class CommonWords
{
    public static readonly IReadOnlyDictionary<string, string> Spanish = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Ops console"] = "Consola de operaciones",
        ["Sign in"] = "Iniciar sesión",
        ["Sign out"] = "Cerrar sesión",
        ["API key"] = "Clave de API",
        ["Sign in with an ops API key (Ops:ApiKeys, or Ops:ReadOnlyApiKeys to only look)."] = "Inicie sesión con una clave de API de operaciones (Ops:ApiKeys, u Ops:ReadOnlyApiKeys para solo consultar).",
        ["That key is not configured."] = "Esa clave no está configurada.",
        ["Too many wrong keys from this address; wait a minute and try again."] = "Demasiadas claves incorrectas desde esta dirección; espere un minuto y vuelva a intentarlo.",
        ["Signed in with a read-only key: you can look, not change."] = "Sesión con una clave de solo lectura: puede consultar, no modificar.",
        ["Overview"] = "Resumen",
        ["Templates"] = "Plantillas",
        ["Events"] = "Eventos",
        ["Alerts"] = "Alertas",
        ["Dead letters"] = "Mensajes fallidos",
        ["Owners"] = "Responsables",
        ["API reference"] = "Referencia de la API",
        ["Language"] = "Idioma",
        ["Main navigation"] = "Navegación principal",
        ["Skip to content"] = "Saltar al contenido",
        ["local time"] = "hora local",
        ["Nothing here yet."] = "Todavía no hay nada aquí.",
        ["Previous"] = "Anterior",
        ["Next"] = "Siguiente",
        ["Search"] = "Buscar",
        ["Filter"] = "Filtrar",
        ["Clear filters"] = "Quitar filtros",
        ["Read-only keys cannot do this."] = "Las claves de solo lectura no pueden hacer esto.",
        ["Page not found"] = "Página no encontrada",
    };
}
