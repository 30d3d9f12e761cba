namespace WebhookProcessor.Webhooks;

internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Webhook refused: signature {Outcome} (remote {RemoteAddress})")]
    public static partial void SignatureRejected(ILogger logger, SignatureCheck outcome, string? remoteAddress);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Webhook refused: body larger than {Limit} bytes")]
    public static partial void BodyTooLarge(ILogger logger, long limit);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Webhook stored with {DeadLetters} dead-lettered part(s): {FirstReason}")]
    public static partial void IntakeDeadLetters(ILogger logger, int deadLetters, string firstReason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Webhook could not be stored; answering 500 so Meta retries")]
    public static partial void EnqueueFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Subscription handshake refused (mode {Mode}, remote {RemoteAddress})")]
    public static partial void VerificationRefused(ILogger logger, string? mode, string? remoteAddress);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Webhook refused: the request body could not be read ({StatusCode}: {Reason}; remote {RemoteAddress})")]
    public static partial void BodyUnreadable(ILogger logger, int statusCode, string? reason, string? remoteAddress);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Debug, Message = "Webhook abandoned: the client closed the connection while sending the body ({Kind}; remote {RemoteAddress})")]
    public static partial void ClientGone(ILogger logger, string kind, string? remoteAddress);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "Webhook refused: JSON nested deeper than {MaxDepth} levels")]
    public static partial void BodyTooDeep(ILogger logger, int maxDepth);
}
