using System.Text.Json;
using System.Xml;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebhookProcessor.Azure;
using WebhookProcessor.Functions;
using WebhookProcessor.Health;
using WebhookProcessor.Hosting;
using WebhookProcessor.Ops;

namespace WebhookProcessor.UnitTests.Infra;

/// <summary>
/// No Bicep compiler or Functions host here, so the deployment files are checked against the app and
/// each other as text: settings, names, routes and role ids must agree.
/// </summary>
public sealed class InfraConsistencyTests
{
    /// <summary>Every setting the app needs when it runs as a function app on Azure.</summary>
    private static readonly string[] AzureSettings =
    [
        "FUNCTIONS_WORKER_RUNTIME",
        "AzureWebJobsStorage",
        "AZURE_CLIENT_ID",
        "ServiceBusConnection__fullyQualifiedNamespace",
        "Storage__Provider",
        "Storage__Tables__Endpoint",
        "Queue__Provider",
        "Queue__ServiceBus__FullyQualifiedNamespace",
        "Queue__ServiceBus__QueueName",
        "Queue__ServiceBus__TransportType",
        "Queue__ServiceBus__Receiver",
        "Meta__AppSecrets__0",
        "Meta__VerifyToken",
        "Ops__ApiKeys__0",
        "Notifications__Delivery__RunInBackground",
        "Notifications__Smtp__Host",
        "Notifications__Smtp__Port",
        "Notifications__Smtp__From",
        "Notifications__Smtp__UserName",
        "Notifications__Smtp__Password",
        "Meta__GraphApi__AccessToken",
        "Reconciliation__Enabled",
        "Reconciliation__Interval",
    ];

    /// <summary>Settings that make the app reach Azure through an identity: a local run has none of them.</summary>
    private static readonly string[] IdentitySettings =
    [
        "AZURE_CLIENT_ID",
        "Storage__Tables__Endpoint",
        "Queue__ServiceBus__FullyQualifiedNamespace",
        "ServiceBusConnection__fullyQualifiedNamespace",
        "ServiceBusConnection__credential",
    ];

    private const string CloudSample = "local.settings.cloud.sample.json";
    private const string LocalSample = "local.settings.sample.json";

    private static readonly string[] AnonymousFunctions = ["IngestWebhook", "Health", "HealthLive", "HealthReady", "Console", "OpenApi"];

    /// <summary>The console's one catch-all function: a browser cannot send a function key, and the console has its own sign-in.</summary>
    private const string ConsoleRoute = "/api/console/{*path}";

    private static readonly string[] Secrets = ["Meta__AppSecrets__0", "Meta__VerifyToken", "Ops__ApiKeys__0", "Notifications__Smtp__Password", GraphApiToken];

    private const string GraphApiToken = "Meta__GraphApi__AccessToken";

    /// <summary>https://learn.microsoft.com/azure/role-based-access-control/built-in-roles</summary>
    private static readonly Dictionary<string, string> DocumentedRoles = new()
    {
        ["serviceBusDataSender"] = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
        ["serviceBusDataReceiver"] = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",
        ["serviceBusDataOwner"] = "090c5cfd-751d-490a-894a-3ce6f1109419",
        ["storageTableDataContributor"] = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
        ["storageBlobDataOwner"] = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
        ["storageQueueDataContributor"] = "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
        ["keyVaultSecretsUser"] = "4633458b-17de-408a-b874-0445c86b69e6",
        ["monitoringMetricsPublisher"] = "3913510d-42f4-4e42-8a64-420c390055eb",
    };

    [Fact]
    public void BicepAppSettings_OnAzure_HaveEverySettingTheAppNeeds()
    {
        var settings = RepositoryFiles.BicepAppSettings();

        // Flex Consumption takes the runtime from functionAppConfig, and host storage goes through the identity.
        var expected = AzureSettings.Except(["FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage"]).Append("AzureWebJobsStorage__accountName");
        var missing = expected.Where(key => !settings.ContainsKey(key)).ToList();
        Assert.True(missing.Count == 0, $"main.bicep does not set {string.Join(", ", missing)}.");
        Assert.Equal("'custom'", System.Text.RegularExpressions.Regex.Match(RepositoryFiles.Bicep(), @"runtime: \{ name: ('\w+')").Groups[1].Value);
        Assert.Equal("'ServiceBus'", settings["Queue__Provider"]);
        Assert.Equal("'AzureTables'", settings["Storage__Provider"]);
        Assert.Equal("'false'", settings["Notifications__Delivery__RunInBackground"]);
        Assert.Equal("'FunctionsHost'", settings["Queue__ServiceBus__Receiver"]);
        Assert.Equal("'AmqpTcp'", settings["Queue__ServiceBus__TransportType"]);
    }

    [Fact]
    public void BicepAppSettings_Secrets_ComeFromKeyVault()
    {
        var settings = RepositoryFiles.BicepAppSettings();
        var references = RepositoryFiles.BicepObject("secretRef");

        foreach (var key in Secrets)
        {
            Assert.StartsWith("secretRef.", settings[key], StringComparison.Ordinal);
            var reference = references[settings[key]["secretRef.".Length..]];
            Assert.Matches(@"^@Microsoft\.KeyVault\(SecretUri=\$\{vault\.properties\.vaultUri\}secrets/[a-z-]+/\)$", reference);
        }
    }

    [Fact]
    public void GraphApiToken_InBicepAndCloudSample_IsOnlyEverAKeyVaultReference()
    {
        var bicep = RepositoryFiles.Bicep();
        var settings = RepositoryFiles.BicepAppSettings();

        // The parameter is secure, optional, and reaches nothing but the vault: no app setting takes it as it is.
        Assert.Matches(@"@secure\(\)\r?\nparam metaGraphApiToken string = ''\r?\n", bicep);
        Assert.Contains("usesGraphApiToken ? { 'meta-graph-api-token': metaGraphApiToken } : {}", bicep, StringComparison.Ordinal);
        Assert.Equal("secretRef.metaGraphApiToken", settings[GraphApiToken]);
        Assert.Equal(
            "@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/meta-graph-api-token/)",
            RepositoryFiles.BicepObject("secretRef")["metaGraphApiToken"]);
        var direct = settings.Where(s => System.Text.RegularExpressions.Regex.IsMatch(s.Value, @"(?<!secretRef\.)\bmetaGraphApiToken\b")).Select(s => s.Key).ToList();
        Assert.True(direct.Count == 0, $"main.bicep puts the Graph API token itself into {string.Join(", ", direct)}.");
        Assert.False(RepositoryFiles.Json("infra", "main.parameters.json").GetProperty("parameters").TryGetProperty("metaGraphApiToken", out _), "main.parameters.json holds the Graph API token.");

        var sample = RepositoryFiles.Json(CloudSample).GetProperty("Values").GetProperty(GraphApiToken).GetString();
        Assert.Matches(@"^@Microsoft\.KeyVault\(SecretUri=https://[a-z0-9-]+\.vault\.azure\.net/secrets/meta-graph-api-token/\)$", sample);
    }

    [Fact]
    public void CloudSettingsSample_OnAzure_HasEverySettingTheAppNeeds()
    {
        var values = RepositoryFiles.Json(CloudSample).GetProperty("Values");

        var missing = AzureSettings.Where(key => !values.TryGetProperty(key, out _)).ToList();
        Assert.True(missing.Count == 0, $"{CloudSample} does not set {string.Join(", ", missing)}.");
        Assert.Equal("custom", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        Assert.Equal(AzureNames.QueueName, values.GetProperty("Queue__ServiceBus__QueueName").GetString());
        var bicep = RepositoryFiles.BicepAppSettings();
        var notInBicep = values.EnumerateObject().Select(p => p.Name)
            .Where(key => key is not ("FUNCTIONS_WORKER_RUNTIME" or "AzureWebJobsStorage") && !bicep.ContainsKey(key)).ToList();
        Assert.True(notInBicep.Count == 0, $"{CloudSample} names settings main.bicep does not set: {string.Join(", ", notInBicep)}.");
    }

    [Fact]
    public void LocalSettingsSample_ForAzurite_UsesNoIdentityAndOnlyDevelopmentSecrets()
    {
        var values = RepositoryFiles.Json(LocalSample).GetProperty("Values");

        var identity = IdentitySettings.Where(key => values.TryGetProperty(key, out _)).ToList();
        Assert.True(identity.Count == 0, $"{LocalSample} sets {string.Join(", ", identity)}: a local run would try a managed identity.");
        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty("Storage__Tables__ConnectionString").GetString());
        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty("AzureWebJobsStorage").GetString());
        Assert.Equal("Development", values.GetProperty("ASPNETCORE_ENVIRONMENT").GetString());
        Assert.Equal("FunctionsHost", values.GetProperty("Queue__ServiceBus__Receiver").GetString());
        Assert.All(Secrets.Where(key => values.TryGetProperty(key, out _)), key => Assert.StartsWith(DevelopmentSecrets.Marker, values.GetProperty(key).GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task LocalSettingsSample_AsTheAppsConfiguration_PassesStartupValidation()
    {
        // The Functions host hands Values to the handler as environment variables: '__' becomes ':'.
        var values = RepositoryFiles.Json(LocalSample).GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => p.Value.GetString());
        values[FunctionsHost.PortVariable] = "7071";
        var app = WebhookProcessorApp.Build(
            ["--environment", values["ASPNETCORE_ENVIRONMENT"]!],
            builder => builder.Configuration.AddInMemoryCollection(values));
        await using (app)
        {
            var validator = app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>();

            Assert.NotNull(validator);
            validator.Validate();
        }
    }

    [Fact]
    public void ReconcileCatalog_TimerAndBicep_RunHourlyWithTheAppsDefaults()
    {
        var trigger = Binding(RepositoryFiles.Functions()[ReconcileCatalogFunction.Name], "timerTrigger");
        var settings = RepositoryFiles.BicepAppSettings();
        var bicep = RepositoryFiles.Bicep();
        var defaults = new WebhookProcessor.Reconciliation.ReconciliationOptions();

        // Hourly: each tick does a full run when one is due, otherwise the overdue check.
        Assert.Matches(@"^0 [0-5]?\d \* \* \* \*$", trigger.GetProperty("schedule").GetString());
        Assert.Equal("timer", trigger.GetProperty("name").GetString());
        Assert.Equal("reconciliationEnabled ? 'true' : 'false'", settings["Reconciliation__Enabled"]);
        Assert.Equal("reconciliationInterval", settings["Reconciliation__Interval"]);
        Assert.Contains("param reconciliationEnabled bool = " + (defaults.Enabled ? "true" : "false"), bicep, StringComparison.Ordinal);
        var interval = System.Text.RegularExpressions.Regex.Match(bicep, @"param reconciliationInterval string = '(?<value>[^']+)'").Groups["value"].Value;
        Assert.Equal(defaults.Interval, TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void QueueName_TriggerBicepAndApp_AreTheSame()
    {
        var trigger = Binding(RepositoryFiles.Functions()[ProcessTemplateEventFunction.Name], "serviceBusTrigger");

        Assert.Equal(AzureNames.QueueName, trigger.GetProperty("queueName").GetString());
        Assert.Equal(ProcessTemplateEventFunction.Binding, trigger.GetProperty("name").GetString());
        Assert.Equal("ServiceBusConnection", trigger.GetProperty("connection").GetString());
        Assert.Equal(AzureNames.QueueName, RepositoryFiles.BicepString("queueName"));
        Assert.Equal("queue.name", RepositoryFiles.BicepAppSettings()["Queue__ServiceBus__QueueName"]);
    }

    [Fact]
    public void ServiceBusQueue_InBicep_DetectsDuplicatesAndDeadLetters()
    {
        Assert.Equal("true", RepositoryFiles.BicepProperty("queue", "requiresDuplicateDetection"));
        Assert.True(XmlConvert.ToTimeSpan(RepositoryFiles.BicepProperty("queue", "duplicateDetectionHistoryTimeWindow")) >= TimeSpan.FromHours(1));
        Assert.Equal("10", RepositoryFiles.BicepProperty("queue", "maxDeliveryCount"));
        Assert.Equal("true", RepositoryFiles.BicepProperty("queue", "deadLetteringOnMessageExpiration"));
        Assert.Equal("'Standard'", RepositoryFiles.BicepProperty("serviceBus", "sku").Split("name: ")[1].Split(',')[0]);
    }

    [Fact]
    public void Tables_CreatedByBicep_AreTheOnesTheAppUses()
    {
        Assert.Equal(AzureNames.Tables.Order(), RepositoryFiles.BicepStrings("tableNames").Order());
        Assert.Equal(AzureNames.DeploymentContainer, RepositoryFiles.BicepString("deploymentContainerName"));
    }

    [Fact]
    public void RoleAssignments_InBicep_UseTheDocumentedRoleIds()
    {
        var roles = RepositoryFiles.BicepObject("roles");
        var bicep = RepositoryFiles.Bicep();

        Assert.Equal(DocumentedRoles.OrderBy(r => r.Key), roles.OrderBy(r => r.Key));
        // The Functions mode both sends (intake, scheduled retries) and receives; the scale controller reads the queue.
        Assert.Contains("{ scope: 'queue', role: roles.serviceBusDataSender }", bicep, StringComparison.Ordinal);
        Assert.Contains("{ scope: 'queue', role: roles.serviceBusDataReceiver }", bicep, StringComparison.Ordinal);
        Assert.Contains("{ scope: 'queue', role: roles.serviceBusDataOwner }", bicep, StringComparison.Ordinal);
        Assert.Contains("{ scope: 'storage', role: roles.storageTableDataContributor }", bicep, StringComparison.Ordinal);
        Assert.Contains("{ scope: 'storage', role: roles.storageBlobDataOwner }", bicep, StringComparison.Ordinal);
        Assert.Contains("{ scope: 'vault', role: roles.keyVaultSecretsUser }", bicep, StringComparison.Ordinal);
    }

    [Fact]
    public void HostJson_CustomHandler_StartsThePublishedExecutableAndForwardsHttpRequests()
    {
        var host = RepositoryFiles.Json("host.json");
        var handler = host.GetProperty("customHandler");

        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.Equal(AzureNames.ExecutableName, handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.Equal(AzureNames.ExecutableName, typeof(Program).Assembly.GetName().Name);
        Assert.True(handler.GetProperty("enableForwardingHttpRequest").GetBoolean());
        Assert.Equal("api", host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", host.GetProperty("extensionBundle").GetProperty("id").GetString());
        Assert.True(host.GetProperty("extensions").GetProperty("serviceBus").GetProperty("autoCompleteMessages").GetBoolean());
        Assert.Contains("host.json", File.ReadAllText(RepositoryFiles.Path("scripts", "publish-functions.sh")), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.True(File.GetUnixFileMode(RepositoryFiles.Path("scripts", "publish-functions.sh")).HasFlag(UnixFileMode.UserExecute));
        }
    }

    [Fact]
    public async Task HttpFunctions_ComparedWithAppRoutes_MatchBothWays()
    {
        var endpoints = await AppEndpointsAsync();
        var functions = RepositoryFiles.Functions();
        var http = functions
            .Where(f => f.Value.GetProperty("bindings").EnumerateArray().Any(b => b.GetProperty("type").GetString() == "httpTrigger"))
            .ToDictionary(f => f.Key, f => f.Value);

        foreach (var (name, function) in http)
        {
            var bindings = function.GetProperty("bindings").EnumerateArray().ToList();
            // Forwarding the raw request needs exactly an httpTrigger and an http output.
            Assert.Equal(["http", "httpTrigger"], bindings.Select(b => b.GetProperty("type").GetString()).Order());
            var trigger = Binding(function, "httpTrigger");
            var route = "/api/" + trigger.GetProperty("route").GetString();
            // Meta cannot send a function key, a health probe needs none (the check shows counts, no secret), and
            // the OpenAPI document only describes routes; every other route needs the function key on top of the
            // app's own X-Api-Key.
            Assert.True(
                (AnonymousFunctions.Contains(name) ? "anonymous" : "function") == trigger.GetProperty("authLevel").GetString(),
                $"Function {name} has authLevel {trigger.GetProperty("authLevel").GetString()}.");
            foreach (var method in trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()))
            {
                Assert.True(
                    route == ConsoleRoute
                        ? endpoints.Any(e => e.Route.StartsWith("/console", StringComparison.Ordinal) && (e.Method == method || e.Method == "*"))
                        : endpoints.Contains((route, method)),
                    $"Function {name} forwards {method} {route}, which the app does not map.");
            }
        }

        var forwarded = http.Values
            .Select(f => Binding(f, "httpTrigger"))
            .SelectMany(t => t.GetProperty("methods").EnumerateArray().Select(m => ("/api/" + t.GetProperty("route").GetString(), m.GetString()!.ToUpperInvariant())))
            .ToHashSet();
        var triggers = functions.Keys.Except(http.Keys).Select(name => ("/" + name, "POST")).ToHashSet();
        // The health checks and the OpenAPI document are also mapped without /api, for hosts other than Functions.
        string[] withoutApi = [OpsEndpoints.HealthRoute, HealthEndpoints.LiveRoute, HealthEndpoints.ReadyRoute, OpenApiRegistration.Route];
        foreach (var endpoint in endpoints.Where(e => !withoutApi.Contains(e.Route)))
        {
            var viaConsole = endpoint.Route.StartsWith("/console", StringComparison.Ordinal)
                && (endpoint.Method == "*" ? forwarded.Contains((ConsoleRoute, "GET")) : forwarded.Contains((ConsoleRoute, endpoint.Method)));
            Assert.True(forwarded.Contains(endpoint) || triggers.Contains(endpoint) || viaConsole, $"The app maps {endpoint.Method} {endpoint.Route}, but no function reaches it.");
        }

        Assert.All(triggers, t => Assert.Contains(t, endpoints));
    }

    private static JsonElement Binding(JsonElement function, string type) =>
        function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == type);

    /// <summary>Every (route, method) the app maps in Functions mode, from its endpoint data sources; the app is built, not started.</summary>
    private static async Task<HashSet<(string Route, string Method)>> AppEndpointsAsync()
    {
        var app = WebhookProcessorApp.Build(
            ["--environment", "Production"],
            builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [FunctionsHost.PortVariable] = "7071",
                ["Storage:Sqlite:Path"] = Path.Combine(Path.GetTempPath(), "wp-infra-" + Guid.NewGuid().ToString("N")),
            }));
        await using (app)
        {
            return ((IEndpointRouteBuilder)app).DataSources
                .SelectMany(source => source.Endpoints)
                .OfType<RouteEndpoint>()
                .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                    .Select(method => ("/" + e.RoutePattern.RawText!.TrimStart('/'), method)))
                .ToHashSet();
        }
    }
}
