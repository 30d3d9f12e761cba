using Azure.Core;

namespace WebhookProcessor.AzureRest.Tables;

/// <summary>Azure.Core's client options (retries, transport, diagnostics) plus the Table service version and clock.</summary>
public sealed class TableClientOptions : ClientOptions
{
    /// <summary>The version Azure.Data.Tables speaks by default; new enough for Entra ID, known to Azurite.</summary>
    public const string DefaultServiceVersion = "2019-02-02";

    public string ServiceVersion { get; set; } = DefaultServiceVersion;

    /// <summary>The clock for <c>x-ms-date</c>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
