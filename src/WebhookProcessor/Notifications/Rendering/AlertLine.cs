namespace WebhookProcessor.Notifications;

/// <summary>A labelled value: a fact, or a text Meta wrote (shown verbatim).</summary>
internal sealed record AlertLine(string Label, string Value);
