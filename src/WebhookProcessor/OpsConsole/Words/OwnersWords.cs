namespace WebhookProcessor.OpsConsole;

/// <summary>Phrases of the owners pages (list and form): English key → Spanish.</summary>
internal static class OwnersWords
{
    public static readonly IReadOnlyDictionary<string, string> Spanish = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Who receives a template's alerts: the owner whose match fits it, else the default owner (no match)."] =
            "Quién recibe las alertas de una plantilla: el responsable cuya coincidencia le corresponde o, si no hay, el responsable predeterminado (sin coincidencia).",
        ["Actions"] = "Acciones",
        ["New owner"] = "Nuevo responsable",
        ["Owner {0}"] = "Responsable {0}",
        ["Id"] = "Identificador",
        ["Display name"] = "Nombre visible",
        ["Match"] = "Coincidencia",
        ["E-mail addresses"] = "Correos electrónicos",
        ["Default"] = "Predeterminado",
        ["everything nobody else owns"] = "todo lo que no tiene otro responsable",
        ["account"] = "cuenta",
        ["yes"] = "sí",
        ["no"] = "no",
        ["Edit"] = "Editar",
        ["Delete"] = "Eliminar",
        ["Delete this owner? Its templates go to the default owner, or become unrouted."] =
            "¿Eliminar este responsable? Sus plantillas pasarán al responsable predeterminado o quedarán sin responsable.",
        ["Owner {0} saved."] = "Se guardó el responsable {0}.",
        ["Owner {0} deleted."] = "Se eliminó el responsable {0}.",
        ["There is no such owner (any more)."] = "Ese responsable no existe (o ya no existe).",
        ["Letters, digits, '-', '_' or '.', such as payments-team."] = "Letras, dígitos, '-', '_' o '.', por ejemplo equipo-pagos.",
        ["One a line. Give at least one address or a Teams URL."] = "Uno por línea. Indique al menos un correo o una URL de Teams.",
        ["Teams Workflows URL"] = "URL de Teams Workflows",
        ["Now set, to host:"] = "Configurada ahora, con el host:",
        ["Leave empty to keep it."] = "Déjelo vacío para conservarla.",
        ["Optional. It holds a credential: it is never shown again, only its host."] = "Opcional. Contiene una credencial: nunca se vuelve a mostrar, solo su host.",
        ["Remove the Teams URL"] = "Quitar la URL de Teams",
        ["Alert language"] = "Idioma de las alertas",
        ["Match (leave both empty for the default owner)"] = "Coincidencia (deje ambos vacíos para el responsable predeterminado)",
        ["WhatsApp Business Account id"] = "Identificador de la cuenta de WhatsApp Business",
        ["Digits only; empty matches every account."] = "Solo dígitos; vacío corresponde a todas las cuentas.",
        ["Template name pattern"] = "Patrón del nombre de la plantilla",
        ["'*' is any characters and '?' one, such as payment_*; empty matches every name."] =
            "'*' es cualquier cantidad de caracteres y '?' uno solo, por ejemplo payment_*; vacío corresponde a todos los nombres.",
        ["Save"] = "Guardar",
        ["Cancel"] = "Cancelar",
        ["Some fields need a change; see the messages beside them."] = "Algunos campos deben corregirse; vea los mensajes junto a ellos.",
        ["An owner with this id exists already; edit it instead, or choose another id."] = "Ya existe un responsable con este identificador; edítelo o elija otro identificador.",
        ["Another owner has the same match."] = "Otro responsable tiene la misma coincidencia.",
    };
}
