namespace WebhookProcessor.Ops;

/// <summary>
/// Marks an endpoint as guarded by <see cref="ApiKeyFilter"/>, so the OpenAPI document can put the API-key
/// security requirement on exactly those operations (an endpoint filter itself is invisible to the document).
/// </summary>
public sealed class ApiKeyRequiredMetadata
{
    public static readonly ApiKeyRequiredMetadata Instance = new();

    private ApiKeyRequiredMetadata()
    {
    }
}
