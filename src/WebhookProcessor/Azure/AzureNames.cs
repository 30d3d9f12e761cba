namespace WebhookProcessor.Azure;

/// <summary>
/// Names the Azure deployment and the app must agree on: the infra templates create these, the
/// function folders bind to them, and a test checks that both sides still match.
/// </summary>
public static class AzureNames
{
    /// <summary>The Service Bus queue between the webhook intake and the processing trigger.</summary>
    public const string QueueName = "template-events";

    /// <summary>The tables the Table stores use with their default prefix (<see cref="TableNames"/>).</summary>
    public static readonly IReadOnlyList<string> Tables = new TableNames().All;

    /// <summary>The blob container the Flex Consumption plan deploys the app package from.</summary>
    public const string DeploymentContainer = "app-package";

    /// <summary>The published executable that host.json starts as the custom handler.</summary>
    public const string ExecutableName = "WebhookProcessor";
}
