namespace WebhookProcessor.OpsConsole;

/// <summary>One rectangle of the events chart: one kind's events on one day, in SVG user units.</summary>
public sealed record EventChartBar(DateOnly Day, string Kind, int Count, double X, double Y, double Width, double Height, string Fill);
