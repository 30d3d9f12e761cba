namespace WebhookProcessor.Notifications;

/// <summary>The same alert in the two forms the channels need.</summary>
/// <param name="Subject">E-mail subject; names the template and the kind of alert.</param>
/// <param name="Html">E-mail HTML body.</param>
/// <param name="Text">E-mail plain-text alternative.</param>
/// <param name="TeamsPayload">The whole JSON body to post to a Teams Workflows webhook (a message with one Adaptive Card 1.4 attachment).</param>
public sealed record RenderedAlert(string Subject, string Html, string Text, string TeamsPayload);
