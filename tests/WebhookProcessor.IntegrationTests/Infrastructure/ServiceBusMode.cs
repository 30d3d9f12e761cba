using System.Globalization;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// The settings of the app configured as on Azure: Service Bus intake, Table Storage on the shared
/// Azurite, the Functions custom handler on a free loopback port. The namespace does not exist: pair
/// these with <see cref="ServiceBusSeam.UseServiceBusDoubles"/>, which takes every call to the broker.
/// </summary>
public static class ServiceBusMode
{
    public const string Namespace = "wp-test.servicebus.windows.net";

    /// <summary>A well-formed connection string for <see cref="Namespace"/> with a key of zeros.</summary>
    public static readonly string ConnectionString =
        $"Endpoint=sb://{Namespace}/;SharedAccessKeyName=send;SharedAccessKey=" + Convert.ToBase64String(new byte[32]);

    /// <param name="extra">Settings a test adds or overrides.</param>
    public static Dictionary<string, string?> Settings(AzuriteServer azurite, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture),
            ["Storage:Provider"] = "AzureTables",
            ["Storage:Tables:ConnectionString"] = azurite.ConnectionString,
            ["Queue:Provider"] = "ServiceBus",
            ["Queue:ServiceBus:ConnectionString"] = ConnectionString,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
