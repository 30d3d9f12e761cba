namespace WebhookProcessor.OpsConsole;

/// <summary>Phrases of the dead letters page: English key → Spanish.</summary>
internal static class DeadLettersWords
{
    public static readonly IReadOnlyDictionary<string, string> Spanish = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Webhooks and changes that could not be processed, kept with their raw bytes. Replay puts a change back on the queue; one already applied changes nothing."] =
            "Webhooks y cambios que no se pudieron procesar, guardados con sus bytes originales. Reprocesar vuelve a poner un cambio en la cola; uno ya aplicado no modifica nada.",
        ["Actions"] = "Acciones",
        ["Pages"] = "Páginas",
        ["date unknown"] = "fecha desconocida",
        ["Dead-lettered"] = "Descartado el",
        ["Source"] = "Origen",
        ["Reason"] = "Motivo",
        ["Description"] = "Descripción",
        ["Size"] = "Tamaño",
        ["bytes"] = "bytes",
        ["Show body"] = "Ver contenido",
        ["Hide the body"] = "Ocultar el contenido",
        ["Raw body"] = "Contenido original",
        ["Binary, shown as base64:"] = "Binario, mostrado en base64:",
        ["Replay"] = "Reprocesar",
        ["Replay this dead letter? Its change goes back on the queue."] = "¿Reprocesar este mensaje fallido? Su cambio vuelve a la cola.",
        ["Replayed: event {0} is queued again and the dead letter was removed."] = "Reprocesado: el evento {0} está de nuevo en la cola y se eliminó el mensaje fallido.",
        ["That is not a dead letter's id."] = "Ese no es el identificador de un mensaje fallido.",
        ["There is no such dead letter (any more); perhaps it was replayed already."] = "Ese mensaje fallido no existe (o ya no existe); quizá ya se reprocesó.",
        ["This dead letter cannot be replayed:"] = "Este mensaje fallido no se puede reprocesar:",
        ["First page"] = "Primera página",
    };
}
