using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace WebhookProcessor.AzureRest.Tables;

/// <summary>
/// Headers every Table request carries, set on each attempt so a retry gets a fresh <c>x-ms-date</c>
/// (the service refuses dates more than 15 minutes off, and Shared Key signs the date).
/// </summary>
internal sealed class TableHeadersPolicy(TimeProvider clock, string serviceVersion) : HttpPipelineSynchronousPolicy
{
    public const string MinimalMetadata = "application/json;odata=minimalmetadata";

    public override void OnSendingRequest(HttpMessage message)
    {
        var headers = message.Request.Headers;
        headers.SetValue("x-ms-date", clock.GetUtcNow().ToString("R", CultureInfo.InvariantCulture));
        headers.SetValue("x-ms-version", serviceVersion);
        headers.SetValue("DataServiceVersion", "3.0");
        headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        if (!headers.Contains("Accept"))
        {
            // Minimal metadata: type annotations and per-entity ETags, without the full OData noise.
            headers.SetValue("Accept", MinimalMetadata);
        }
    }
}
