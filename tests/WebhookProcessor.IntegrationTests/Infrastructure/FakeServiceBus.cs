using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WebhookProcessor.AzureRest.ServiceBus;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A real Kestrel server on loopback that answers the Service Bus REST send contract: it checks the
/// <c>Authorization</c> header (a SAS token signed with <see cref="KeyName"/>/<see cref="Key"/>, or a
/// bearer token it was told to accept), keeps single and batch sends, drops a duplicate
/// <c>MessageId</c> within <see cref="DuplicateWindow"/> while still answering 201, refuses requests
/// over <see cref="MaxMessageBytes"/> with 403, and can be scripted to answer otherwise.
/// </summary>
public sealed class FakeServiceBus : IAsyncDisposable
{
    public const string KeyName = "send-only";
    public const string Key = "c2VjcmV0LWtleS1ub3QtYmFzZTY0LWRlY29kZWQ=";

    private static readonly HashSet<string> NotProperties = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "BrokerProperties", "Content-Type", "Content-Length", "Host", "User-Agent", "Accept", "Connection",
        "Transfer-Encoding", "Expect", "traceparent", "tracestate", "Request-Id", "x-ms-client-request-id", "x-ms-return-client-request-id",
    };

    private readonly Lock _gate = new();
    private readonly Queue<ScriptStep> _script = new();
    private readonly List<FakeServiceBusRequest> _requests = [];
    private readonly List<FakeServiceBusMessage> _messages = [];
    private readonly Dictionary<string, DateTimeOffset> _seenIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _acceptedBearerTokens = new(StringComparer.Ordinal);
    private WebApplication? _app;

    private FakeServiceBus()
    {
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The self-signed certificate when started with HTTPS (bearer tokens are only sent over TLS).</summary>
    public X509Certificate2? Certificate { get; private set; }

    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(10);

    public int MaxMessageBytes { get; set; } = ServiceBusRestSenderOptions.StandardTierMaxMessageBytes;

    /// <summary>A connection string with this stand-in's key; pair it with <see cref="SenderOptions"/>, which points the sender here.</summary>
    public string ConnectionString(string? entityPath = null) =>
        $"Endpoint=sb://{BaseAddress.Authority}/;SharedAccessKeyName={KeyName};SharedAccessKey={Key}" + (entityPath is null ? "" : $";EntityPath={entityPath}");

    /// <summary>Every message kept, in arrival order (duplicates dropped).</summary>
    public IReadOnlyList<FakeServiceBusMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Every request that reached the server, including refused ones.</summary>
    public IReadOnlyList<FakeServiceBusRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<FakeServiceBus> StartAsync(bool https = false)
    {
        var fake = new FakeServiceBus();
        if (https)
        {
            fake.Certificate = CreateCertificate();
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 8 * 1024 * 1024;
            k.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (fake.Certificate is not null)
                {
                    listen.UseHttps(fake.Certificate);
                }
            });
        });
        fake._app = builder.Build();
        fake._app.Run(fake.HandleAsync);
        await fake._app.StartAsync();
        var address = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake.BaseAddress = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        return fake;
    }

    /// <summary>Sender options aimed at this stand-in, with quick retries so tests stay fast.</summary>
    public ServiceBusRestSenderOptions SenderOptions(int maxRetries = 3, int maxBatchBytes = ServiceBusRestSenderOptions.DefaultMaxBatchBytes)
    {
        var options = new ServiceBusRestSenderOptions
        {
            EndpointOverride = BaseAddress,
            MaxBatchBytes = maxBatchBytes,
            ThrottledMinimumDelay = TimeSpan.FromMilliseconds(20),
        };
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(20);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        if (Certificate is not null)
        {
            var thumbprint = Certificate.Thumbprint;
            options.Transport = new global::Azure.Core.Pipeline.HttpClientTransport(new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == thumbprint,
            });
        }

        return options;
    }

    public FakeServiceBus AcceptBearerToken(string token)
    {
        lock (_gate)
        {
            _acceptedBearerTokens.Add(token);
        }

        return this;
    }

    /// <summary>The next <paramref name="times"/> requests get <paramref name="status"/> (with <c>Retry-After</c> in whole seconds).</summary>
    public FakeServiceBus RespondWith(HttpStatusCode status, TimeSpan? retryAfter = null, int times = 1) =>
        Enqueue(new ScriptStep(status, retryAfter, TimeSpan.Zero), times);

    /// <summary>The next <paramref name="times"/> requests are answered normally, but only after <paramref name="delay"/>.</summary>
    public FakeServiceBus Delay(TimeSpan delay, int times = 1) => Enqueue(new ScriptStep(null, null, delay), times);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }

        Certificate?.Dispose();
    }

    private FakeServiceBus Enqueue(ScriptStep step, int times)
    {
        lock (_gate)
        {
            for (var i = 0; i < times; i++)
            {
                _script.Enqueue(step);
            }
        }

        return this;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var request = new FakeServiceBusRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            TimeProvider.System.GetUtcNow());
        ScriptStep? step;
        lock (_gate)
        {
            _requests.Add(request);
            step = _script.TryDequeue(out var next) ? next : null;
        }

        if (step?.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(step.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up on this attempt
            }
        }

        if (step?.Status is { } scripted)
        {
            if (step.RetryAfter is { } wait)
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            await ErrorAsync(context, scripted, ScriptedDetail(scripted));
            return;
        }

        var segments = request.Path.Trim('/').Split('/');
        if (request.Method != "POST" || segments.Length < 2 || segments[^1] != "messages")
        {
            await ErrorAsync(context, HttpStatusCode.BadRequest, "This stand-in only answers POST /{entity}/messages.");
            return;
        }

        var entity = string.Join('/', segments[..^1]);
        if (Authorize(context, request) is { } refusal)
        {
            await ErrorAsync(context, HttpStatusCode.Unauthorized, refusal);
            return;
        }

        if (body.Length > MaxMessageBytes)
        {
            await ErrorAsync(context, HttpStatusCode.Forbidden, $"SubCode=40000. The message of {body.Length} bytes exceeds the limit of {MaxMessageBytes} bytes.");
            return;
        }

        List<FakeServiceBusMessage> received;
        try
        {
            received = context.Request.ContentType == "application/vnd.microsoft.servicebus.json"
                ? ReadBatch(entity, body)
                : [ReadSingle(entity, request)];
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            await ErrorAsync(context, HttpStatusCode.BadRequest, $"Malformed message: {ex.Message}");
            return;
        }

        Keep(received);
        context.Response.StatusCode = StatusCodes.Status201Created;
    }

    /// <summary>Service Bus's duplicate detection: a MessageId seen within the window is accepted and dropped.</summary>
    private void Keep(List<FakeServiceBusMessage> received)
    {
        var now = TimeProvider.System.GetUtcNow();
        lock (_gate)
        {
            foreach (var message in received)
            {
                var key = $"{message.Entity}\n{message.MessageId}";
                if (message.MessageId is not null && _seenIds.TryGetValue(key, out var seen) && now - seen < DuplicateWindow)
                {
                    continue;
                }

                if (message.MessageId is not null)
                {
                    _seenIds[key] = now;
                }

                _messages.Add(message);
            }
        }
    }

    private string? Authorize(HttpContext context, FakeServiceBusRequest request)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            lock (_gate)
            {
                return _acceptedBearerTokens.Contains(header["Bearer ".Length..]) ? null : "InvalidToken: the bearer token is not accepted.";
            }
        }

        if (!header.StartsWith("SharedAccessSignature ", StringComparison.Ordinal))
        {
            return "MissingToken: the Authorization header is missing or of an unknown kind.";
        }

        var fields = header["SharedAccessSignature ".Length..].Split('&')
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!fields.TryGetValue("sr", out var sr) || !fields.TryGetValue("sig", out var sig)
            || !fields.TryGetValue("se", out var se) || !fields.TryGetValue("skn", out var skn))
        {
            return "MalformedToken: sr, sig, se and skn are required.";
        }

        if (skn != KeyName)
        {
            return $"InvalidSignature: unknown key name '{skn}'.";
        }

        if (!long.TryParse(se, NumberStyles.None, CultureInfo.InvariantCulture, out var expiry) || expiry <= TimeProvider.System.GetUtcNow().ToUnixTimeSeconds())
        {
            return "ExpiredToken: the token is expired.";
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), Encoding.UTF8.GetBytes($"{sr}\n{se}"));
        if (!CryptographicOperations.FixedTimeEquals(expected, Convert.FromBase64String(Uri.UnescapeDataString(sig))))
        {
            return "InvalidSignature: the token has an invalid signature.";
        }

        // A token for a resource covers everything below it.
        var resource = Uri.UnescapeDataString(sr).TrimEnd('/');
        var target = $"{context.Request.Scheme}://{context.Request.Host}{request.Path}";
        return target.StartsWith(resource + "/", StringComparison.OrdinalIgnoreCase) ? null : $"InvalidAudience: the token is for '{resource}', not '{target}'.";
    }

    private static FakeServiceBusMessage ReadSingle(string entity, FakeServiceBusRequest request)
    {
        var broker = request.Headers.TryGetValue("BrokerProperties", out var json) ? JsonDocument.Parse(json).RootElement.Clone() : default;
        var properties = request.Headers
            .Where(h => !NotProperties.Contains(h.Key))
            .ToDictionary(h => h.Key, h => Unquote(h.Value), StringComparer.OrdinalIgnoreCase);
        return new FakeServiceBusMessage(
            entity,
            MessageId(broker),
            Encoding.UTF8.GetString(request.Body),
            request.Headers.GetValueOrDefault("Content-Type"),
            broker,
            properties,
            FromBatch: false);
    }

    private static List<FakeServiceBusMessage> ReadBatch(string entity, byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var messages = new List<FakeServiceBusMessage>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var broker = item.TryGetProperty("BrokerProperties", out var b) ? b.Clone() : default;
            var properties = item.TryGetProperty("UserProperties", out var u)
                ? u.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString(), StringComparer.OrdinalIgnoreCase)
                : [];
            messages.Add(new FakeServiceBusMessage(
                entity,
                MessageId(broker),
                item.GetProperty("Body").GetString() ?? throw new FormatException("Body must be a string."),
                broker.ValueKind == JsonValueKind.Object && broker.TryGetProperty("ContentType", out var ct) ? ct.GetString() : null,
                broker,
                properties,
                FromBatch: true));
        }

        return messages;
    }

    private static string? MessageId(JsonElement broker) =>
        broker.ValueKind == JsonValueKind.Object && broker.TryGetProperty("MessageId", out var id) ? id.GetString() : null;

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;

    private static string ScriptedDetail(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "InvalidSignature: The token has an invalid signature. TrackingId:1, SystemTracker:fake",
        HttpStatusCode.Forbidden => "SubCode=40100. Unauthorized : Unauthorized access for 'Send' operation on endpoint. TrackingId:2",
        HttpStatusCode.NotFound => "SubCode=40400. Not Found: The messaging entity could not be found. TrackingId:3",
        HttpStatusCode.Gone => "The messaging entity could not be found. TrackingId:4",
        HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => "SubCode=50009. The namespace is being throttled. Please wait 2 seconds and try again. TrackingId:5",
        _ => "The server was unable to process the request. TrackingId:6",
    };

    private static async Task ErrorAsync(HttpContext context, HttpStatusCode status, string detail)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/xml; charset=utf-8";
        await context.Response.WriteAsync(
            $"<Error><Code>{(int)status}</Code><Detail>{System.Security.SecurityElement.Escape(detail)}</Detail></Error>");
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    private sealed record ScriptStep(HttpStatusCode? Status, TimeSpan? RetryAfter, TimeSpan Delay);
}
