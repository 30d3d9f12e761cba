using System.Net.Http.Headers;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.Tools;

/// <summary>
/// <c>WebhookProcessor send &lt;file.json&gt; [--url URL] [--secret SECRET]</c>: signs a file's exact bytes the way
/// Meta does and posts it. For demos, and for operators replaying a stored payload.
/// </summary>
public static class SendCommand
{
    public const string Name = "send";
    public const string DefaultUrl = "http://localhost:5080" + WebhookEndpoints.Route;

    private const string Usage = """
        Usage: WebhookProcessor send <file.json> [--url URL] [--secret SECRET]

        Signs the file's bytes with HMAC-SHA256 (header X-Hub-Signature-256) and POSTs them.
          --url      target endpoint (default: $WEBHOOKPROCESSOR_URL or http://localhost:5080/api/webhooks/whatsapp)
          --secret   Meta app secret (default: $META_APP_SECRET, else Meta:AppSecrets:0 from the app's configuration)
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, HttpMessageHandler? handler = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        string? file = null;
        string? url = null;
        string? secret = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--url" when i + 1 < args.Length:
                    url = args[++i];
                    break;
                case "--secret" when i + 1 < args.Length:
                    secret = args[++i];
                    break;
                case "-h" or "--help":
                    await output.WriteLineAsync(Usage);
                    return 0;
                default:
                    if (file is not null || args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        await error.WriteLineAsync($"Unexpected argument '{args[i]}'.\n\n{Usage}");
                        return 64;
                    }

                    file = args[i];
                    break;
            }
        }

        if (file is null)
        {
            await error.WriteLineAsync(Usage);
            return 64;
        }

        file = ResolvePath(file);
        if (!File.Exists(file))
        {
            await error.WriteLineAsync($"File not found: {file}");
            return 66;
        }

        url ??= Environment.GetEnvironmentVariable("WEBHOOKPROCESSOR_URL") ?? DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
        {
            await error.WriteLineAsync($"--url must be an absolute http(s) URL, not '{url}'.");
            return 64;
        }

        // Where the secret came from, for the advice after a refusal; never the secret itself.
        var secretSource = secret is not null ? "--secret" : "META_APP_SECRET";
        secret ??= Environment.GetEnvironmentVariable("META_APP_SECRET");
        if (secret is null)
        {
            secretSource = "Meta:AppSecrets:0 of this build's configuration";
            secret = ConfiguredSecret();
        }

        if (string.IsNullOrEmpty(secret))
        {
            await error.WriteLineAsync("No app secret: pass --secret, set META_APP_SECRET, or configure Meta:AppSecrets:0.");
            return 64;
        }

        var body = await File.ReadAllBytesAsync(file);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = content };
        request.Headers.Add(SignatureVerifier.HeaderName, SignatureVerifier.Sign(secret, body));

        using var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        try
        {
            using var response = await client.SendAsync(request);
            var answer = await response.Content.ReadAsStringAsync();
            await output.WriteLineAsync($"POST {target} ({body.Length} bytes) -> {(int)response.StatusCode} {response.ReasonPhrase}");
            if (answer.Length > 0)
            {
                await output.WriteLineAsync(answer);
            }

            if (response.IsSuccessStatusCode)
            {
                return 0;
            }

            await error.WriteLineAsync(ServerAnswer.Describe(target, response));
            if (ServerAnswer.WebhookAdvice(response.StatusCode, ServerAnswer.LooksLikeWebhookProcessor(response, answer), secretSource) is { } advice)
            {
                await error.WriteLineAsync(advice);
            }

            return 1;
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync($"POST {target} failed: {ServerAnswer.ConnectionAdvice(target, ex)}");
            return 1;
        }
    }

    /// <summary>
    /// <c>dotnet run</c> starts the program in the project folder, but the shell's <c>PWD</c> still names
    /// the folder the user typed the command in, which is what a relative path means to them.
    /// </summary>
    private static string ResolvePath(string file)
    {
        var userFolder = Environment.GetEnvironmentVariable("PWD");
        if (Path.IsPathRooted(file) || string.IsNullOrEmpty(userFolder))
        {
            return file;
        }

        var fromUserFolder = Path.GetFullPath(file, userFolder);
        return File.Exists(fromUserFolder) ? fromUserFolder : file;
    }

    /// <summary>The first app secret from the same configuration the service reads (appsettings, environment).</summary>
    private static string? ConfiguredSecret()
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? "Production";
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        return configuration["Meta:AppSecrets:0"];
    }
}
