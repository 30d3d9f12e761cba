using System.Net.Sockets;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Options;
using WebhookProcessor.Ops;

namespace WebhookProcessor.Azure;

/// <summary>
/// Opens the sender's AMQP link when the host starts (creating a batch needs the link's size limit, so
/// it connects and authenticates), so the first webhook after a cold start does not pay for it, and
/// checks the same link for <c>/healthz</c>.
/// <para>
/// Start-up fails on an error only the user can fix (a queue that does not exist, credentials the
/// namespace refuses, a namespace that does not resolve): retrying cannot help, and an app that
/// started would answer Meta with 500 for every webhook. Any other failure (a timeout, a busy or
/// unreachable namespace) may pass, so the app starts and reports unhealthy until the link opens.
/// The messages name the setting to fix and never the connection string.
/// </para>
/// </summary>
public sealed partial class ServiceBusConnectionCheck(
    ServiceBusSender sender,
    IOptions<ServiceBusQueueOptions> options,
    TimeProvider clock,
    ILogger<ServiceBusConnectionCheck> logger) : IHostedLifecycleService, IDependencyCheck
{
    /// <summary>How long start-up waits for the link before it starts anyway (and reports unhealthy).</summary>
    public static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(20);

    /// <summary>How long a health check waits; below the time out of common probes.</summary>
    public static readonly TimeSpan HealthWait = TimeSpan.FromSeconds(5);

    public string Name => "serviceBus";

    /// <summary>
    /// Runs in the host's starting phase, before any service's <c>StartAsync</c>: a setting to fix stops
    /// start-up before a worker, dispatcher or timer has started work.
    /// </summary>
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var problem = await ProbeAsync(StartupWait, cancellationToken);
        if (problem is null)
        {
            Log.Connected(logger, sender.EntityPath);
            return;
        }

        if (problem.UserFixable)
        {
            throw new OptionsValidationException(ServiceBusQueueOptions.SectionName, typeof(ServiceBusQueueOptions), [problem.Message]);
        }

        Log.StartingUnconnected(logger, problem.Message);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<string?> CheckAsync(CancellationToken cancellationToken) =>
        (await ProbeAsync(HealthWait, cancellationToken))?.Message;

    private async Task<Problem?> ProbeAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(wait, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var batch = await sender.CreateMessageBatchAsync(linked.Token);
            return null;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var problem = new Problem(false, $"Service Bus namespace '{Namespace(options.Value)}' did not answer within {wait.TotalSeconds:0} s; webhooks cannot be queued until it does. Check the network path to it ({ServiceBusQueueOptions.SectionName}:TransportType=AmqpWebSockets if only port 443 is open).");
            Log.ProbeFailed(logger, problem.Message, null);
            return problem;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var problem = Classify(ex, options.Value);
            Log.ProbeFailed(logger, problem.Message, ex);
            return problem;
        }
    }

    /// <summary>What went wrong, in words naming the setting to fix; <see cref="Problem.UserFixable"/> when retrying cannot help.</summary>
    internal static Problem Classify(Exception error, ServiceBusQueueOptions options)
    {
        const string S = ServiceBusQueueOptions.SectionName;
        var host = Namespace(options);
        var byKey = !string.IsNullOrWhiteSpace(options.ConnectionString);
        var address = byKey ? $"the Endpoint in {S}:ConnectionString" : $"{S}:FullyQualifiedNamespace";
        if (options.EndpointOverride is not null)
        {
            address += $" or {S}:EndpointOverride";
        }

        switch (error)
        {
            case ServiceBusException { Reason: ServiceBusFailureReason.MessagingEntityNotFound }:
                return new Problem(true, $"Service Bus namespace '{host}' has no queue '{options.QueueName}': create it (with duplicate detection on) or fix {S}:QueueName.");
            case UnauthorizedAccessException:
                return new Problem(true, byKey
                    ? $"Service Bus namespace '{host}' refused the shared access key for queue '{options.QueueName}': {S}:ConnectionString needs a current key of a policy with Send rights (and Listen to receive) on the queue or namespace."
                    : $"Service Bus namespace '{host}' refused the app's identity for queue '{options.QueueName}': grant it the Azure Service Bus Data Sender role (and Data Receiver to receive), or fix {S}:ClientId / AZURE_CLIENT_ID. New role assignments can take minutes to apply.");
            case AuthenticationFailedException:
                return new Problem(true, $"No Microsoft Entra token could be obtained for Service Bus namespace '{host}': on Azure, give the app a managed identity (a user-assigned one named by {S}:ClientId or AZURE_CLIENT_ID); elsewhere, sign in or set {S}:ConnectionString.");
            case ServiceBusException { Reason: ServiceBusFailureReason.ServiceCommunicationProblem } when HostNotFound(error):
                return new Problem(true, $"Service Bus namespace '{host}' does not resolve (DNS: host not found): fix {address}.");
            case ServiceBusException bus:
                return new Problem(false, $"Service Bus namespace '{host}' could not be reached ({bus.Reason}); webhooks cannot be queued until it can. The service retries on every webhook and health check.");
            default:
                return new Problem(false, $"Service Bus namespace '{host}' could not be reached ({error.GetType().Name}); webhooks cannot be queued until it can. See the service log.");
        }
    }

    /// <summary>The namespace's host name: not a secret, and what the user compares with the portal.</summary>
    internal static string Namespace(ServiceBusQueueOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return options.FullyQualifiedNamespace ?? "(none)";
        }

        try
        {
            return ServiceBusConnectionStringProperties.Parse(options.ConnectionString).FullyQualifiedNamespace ?? "(none)";
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return "(unreadable connection string)";
        }
    }

    private static bool HostNotFound(Exception error)
    {
        for (var inner = error.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData })
            {
                return true;
            }
        }

        return false;
    }

    internal sealed record Problem(bool UserFixable, string Message);

    private static partial class Log
    {
        [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Connected to Service Bus queue {Queue}")]
        public static partial void Connected(ILogger logger, string queue);

        [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "Starting without a Service Bus link: {Problem}")]
        public static partial void StartingUnconnected(ILogger logger, string problem);

        [LoggerMessage(EventId = 9103, Level = LogLevel.Warning, Message = "Service Bus check failed: {Problem}")]
        public static partial void ProbeFailed(ILogger logger, string problem, Exception? exception);
    }
}
