using Azure.Core;
using Azure.Core.Pipeline;

namespace WebhookProcessor.AzureRest.ServiceBus;

/// <summary>
/// Adds a SAS token to every attempt. One token is cached and replaced once less than a fifth of its
/// lifetime is left, so a request never leaves with a token about to expire on the way.
/// </summary>
internal sealed class SharedAccessSignaturePolicy(
    string resourceUri,
    string keyName,
    string key,
    TimeSpan lifetime,
    TimeProvider clock) : HttpPipelineSynchronousPolicy
{
    private readonly Lock _gate = new();
    private string? _token;
    private DateTimeOffset _renewAt;

    public override void OnSendingRequest(HttpMessage message) =>
        message.Request.Headers.SetValue(HttpHeader.Names.Authorization, CurrentToken());

    internal string CurrentToken()
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (_token is null || now >= _renewAt)
            {
                _token = SharedAccessSignature.CreateToken(resourceUri, keyName, key, now + lifetime);
                _renewAt = now + (lifetime * 0.8);
            }

            return _token;
        }
    }
}
