namespace WebhookProcessor.OpsConsole;

/// <summary>A label on one of the events chart's axes, placed at (<see cref="X"/>, <see cref="Y"/>).</summary>
public sealed record EventChartTick(string Label, double X, double Y);
