using System.Text;
using Azure;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace WebhookProcessor.AzureRest.ServiceBus;

/// <summary>
/// Sends messages to one Service Bus queue or topic over the REST API (<c>POST {entity}/messages</c>),
/// authenticated with a SAS key or a Microsoft Entra <see cref="TokenCredential"/>. Transient answers
/// are retried by the Azure.Core pipeline; everything else fails at once with a
/// <see cref="ServiceBusRequestException"/> that says what to fix. Safe to share between threads.
/// </summary>
public sealed partial class ServiceBusRestSender
{
    /// <summary>The Microsoft Entra scope for Service Bus data-plane calls.</summary>
    public const string EntraScope = "https://servicebus.azure.net/.default";

    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "BrokerProperties", "Content-Type", "Content-Length", "Host", "User-Agent", "Accept",
        "Connection", "Transfer-Encoding", "Expect", "Date", "traceparent", "tracestate", "x-ms-retrypolicy",
        "x-ms-client-request-id", "x-ms-return-client-request-id", "Request-Id",
    };

    private readonly HttpPipeline _pipeline;
    private readonly ServiceBusRestSenderOptions _options;
    private readonly Uri _messagesUri;

    /// <summary>Sends with a SAS key from <paramref name="connectionString"/>.</summary>
    /// <param name="entityPath">The queue or topic; may be left out when the connection string has <c>EntityPath</c>.</param>
    public ServiceBusRestSender(string connectionString, string? entityPath = null, ServiceBusRestSenderOptions? options = null)
    {
        var parsed = ServiceBusConnectionString.Parse(connectionString);
        if (entityPath is not null && parsed.EntityPath is not null && !string.Equals(entityPath.Trim('/'), parsed.EntityPath, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"The connection string is for entity '{parsed.EntityPath}', not '{entityPath}'.", nameof(entityPath));
        }

        _options = options ?? new ServiceBusRestSenderOptions();
        (FullyQualifiedNamespace, EntityPath, EntityUri) = Locate(parsed.FullyQualifiedNamespace, entityPath ?? parsed.EntityPath, _options);
        _messagesUri = MessagesUri(EntityUri);
        var auth = new SharedAccessSignaturePolicy(
            EntityUri.AbsoluteUri.TrimEnd('/'), parsed.SharedAccessKeyName, parsed.SharedAccessKey, _options.SasTokenLifetime, _options.TimeProvider);
        _pipeline = BuildPipeline(_options, auth);
    }

    /// <summary>Sends with Microsoft Entra tokens for <see cref="EntraScope"/>; the identity needs the Azure Service Bus Data Sender role.</summary>
    /// <param name="fullyQualifiedNamespace">e.g. <c>ns.servicebus.windows.net</c>.</param>
    public ServiceBusRestSender(string fullyQualifiedNamespace, string entityPath, TokenCredential credential, ServiceBusRestSenderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fullyQualifiedNamespace);
        ArgumentNullException.ThrowIfNull(credential);
        _options = options ?? new ServiceBusRestSenderOptions();
        (FullyQualifiedNamespace, EntityPath, EntityUri) = Locate(fullyQualifiedNamespace, entityPath, _options);
        if (EntityUri.Scheme != Uri.UriSchemeHttps)
        {
            // Azure.Core refuses to put a bearer token on a plain-HTTP request; say so now rather than on the first send.
            throw new ArgumentException($"Microsoft Entra tokens are only sent over https; EndpointOverride is {EntityUri.Scheme}.", nameof(options));
        }

        _messagesUri = MessagesUri(EntityUri);
        _pipeline = BuildPipeline(_options, new BearerTokenAuthenticationPolicy(credential, EntraScope));
    }

    public string FullyQualifiedNamespace { get; }

    /// <summary>The queue or topic messages go to.</summary>
    public string EntityPath { get; }

    /// <summary>The entity's address, e.g. <c>https://ns.servicebus.windows.net/events</c> (SAS tokens are scoped to it).</summary>
    public Uri EntityUri { get; }

    /// <summary>The most bytes one request may carry (<see cref="ServiceBusRestSenderOptions.MaxBatchBytes"/>).</summary>
    public int MaxBatchBytes => _options.MaxBatchBytes;

    /// <summary>How many bytes <paramref name="message"/> counts for against <see cref="MaxBatchBytes"/>.</summary>
    public static int GetEncodedSize(ServiceBusMessage message) =>
        ServiceBusBatchEncoder.BatchSize(ServiceBusBatchEncoder.EncodeEntry(message).Length, 1);

    /// <summary>Sends one message; completes once Service Bus answered 201.</summary>
    /// <exception cref="ServiceBusMessageTooLargeException">The message is over <see cref="MaxBatchBytes"/>.</exception>
    /// <exception cref="ServiceBusRequestException">Service Bus refused it, or transient failures outlasted the retries.</exception>
    public Task SendAsync(ServiceBusMessage message, CancellationToken cancellationToken = default) =>
        SendAsync([message], cancellationToken);

    /// <summary>
    /// Sends <paramref name="messages"/> in as few requests as the size and count limits allow, in order;
    /// completes once Service Bus answered 201 to every request. Sizes are checked before anything is sent.
    /// If a later batch fails, earlier ones stay sent: send again with the same message ids and duplicate
    /// detection drops what already arrived.
    /// </summary>
    public async Task SendAsync(IEnumerable<ServiceBusMessage> messages, CancellationToken cancellationToken = default)
    {
        var batches = ServiceBusBatchEncoder.Split(messages, _options.MaxBatchBytes, ServiceBusRestSenderOptions.MaxMessagesPerBatch);
        foreach (var batch in batches)
        {
            if (batch.Count == 1 && FitsInHeaders(batch[0].Message))
            {
                await SendSingleAsync(batch[0].Message, cancellationToken);
            }
            else
            {
                await PostAsync(ServiceBusBatchEncoder.Join([.. batch.Select(m => m.Entry)]), ServiceBusBatchEncoder.BatchContentType, null, cancellationToken);
            }
        }
    }

    private Task SendSingleAsync(ServiceBusMessage message, CancellationToken cancellationToken) =>
        PostAsync(
            Encoding.UTF8.GetBytes(message.Body),
            message.ContentType,
            request =>
            {
                request.Headers.SetValue("BrokerProperties", ServiceBusBatchEncoder.BrokerPropertiesHeader(message));
                foreach (var (name, value) in message.ApplicationProperties)
                {
                    // Quoted, so the broker reads a string whatever the text looks like.
                    request.Headers.SetValue(name, $"\"{value}\"");
                }
            },
            cancellationToken);

    private async Task PostAsync(byte[] body, string? contentType, Action<Request>? addHeaders, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = RequestMethod.Post;
        request.Uri.Reset(_messagesUri);
        if (contentType is not null)
        {
            request.Headers.SetValue(HttpHeader.Names.ContentType, contentType);
        }

        addHeaders?.Invoke(request);
        request.Content = RequestContent.Create(body);
        try
        {
            await _pipeline.SendAsync(message, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && ex is AggregateException or RequestFailedException or IOException or HttpRequestException or OperationCanceledException)
        {
            // Network errors and attempt timeouts that outlasted the retries (Azure.Core throws an
            // AggregateException of every attempt's error). Credential failures pass through as they are.
            throw ServiceBusErrors.FromException(ex, EntityPath, _options.Retry.MaxRetries + 1);
        }

        var response = message.Response;
        if (response.Status != 201)
        {
            var text = response.Content is { } content && content.ToMemory().Length > 0 ? content.ToString() : null;
            throw ServiceBusErrors.FromResponse(response.Status, text, EntityPath, _options.Retry.MaxRetries + 1);
        }
    }

    /// <summary>
    /// A single send carries application properties as HTTP headers (the broker properties header is
    /// ASCII-escaped JSON). A property a header cannot hold safely sends the message as a batch of one.
    /// </summary>
    private static bool FitsInHeaders(ServiceBusMessage message) =>
        message.ApplicationProperties.All(p =>
            HeaderName().IsMatch(p.Key) && !ReservedHeaders.Contains(p.Key)
            && IsPlainAscii(p.Value) && !p.Value.Contains('"', StringComparison.Ordinal) && !p.Value.Contains('\\', StringComparison.Ordinal));

    private static bool IsPlainAscii(string value) => value.All(c => c is >= ' ' and <= '~');

    private static (string Namespace, string Entity, Uri EntityUri) Locate(string fullyQualifiedNamespace, string? entityPath, ServiceBusRestSenderOptions options)
    {
        var entity = entityPath?.Trim('/');
        if (string.IsNullOrEmpty(entity))
        {
            throw new ArgumentException("Name the queue or topic to send to (or use a connection string with EntityPath).", nameof(entityPath));
        }

        if (options.MaxBatchBytes < 1024)
        {
            throw new ArgumentException($"MaxBatchBytes is {options.MaxBatchBytes}; it must be at least 1024.", nameof(options));
        }

        var host = fullyQualifiedNamespace.Trim().TrimEnd('/');
        var schemeEnd = host.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            host = host[(schemeEnd + 3)..];
        }

        var baseUri = options.EndpointOverride ?? new Uri($"https://{host}/");
        var entityUri = new Uri(new Uri(baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/"), Uri.EscapeDataString(entity).Replace("%2F", "/", StringComparison.Ordinal));
        return (host, entity, entityUri);
    }

    private static Uri MessagesUri(Uri entityUri) => new(entityUri.AbsoluteUri.TrimEnd('/') + "/messages");

    private static HttpPipeline BuildPipeline(ServiceBusRestSenderOptions options, HttpPipelinePolicy authentication)
    {
        // Azure.Core's retry layer is the only one: it honours Retry-After and the classifier's transient set.
        options.RetryPolicy ??= new RetryPolicy(
            options.Retry.MaxRetries,
            new ServiceBusDelayStrategy(options.Retry.Delay, options.Retry.MaxDelay, options.ThrottledMinimumDelay));
        return HttpPipelineBuilder.Build(options, [], [authentication], ServiceBusResponseClassifier.Instance);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex HeaderName();
}
