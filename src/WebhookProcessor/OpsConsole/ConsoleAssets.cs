using System.Collections.Frozen;
using System.Security.Cryptography;

namespace WebhookProcessor.OpsConsole;

/// <summary>
/// The console's stylesheet and script, embedded in the assembly and served at
/// <c>/console/assets/{name}</c>. URLs carry a content hash, so a browser may keep a file for a year and
/// still never runs an old one after an upgrade.
/// </summary>
public static class ConsoleAssets
{
    public const string Route = ConsoleRegistration.BasePath + "/assets/{name}";

    private static readonly FrozenDictionary<string, Asset> Files = Load();

    /// <summary>The versioned URL of an asset, for a page to link (after the request's path base, <c>/api</c> on Functions).</summary>
    public static string Url(HttpRequest request, string name) => $"{request.PathBase}{ConsoleRegistration.BasePath}/assets/{name}?v={Files[name].Version}";

    public static IEndpointRouteBuilder MapConsoleAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet(Route, (string name, HttpContext context) =>
        {
            if (!Files.TryGetValue(name, out var asset))
            {
                return Results.NotFound();
            }

            context.Response.Headers.CacheControl = context.Request.Query["v"] == asset.Version
                ? "public, max-age=31536000, immutable"
                : "no-cache";
            context.Response.Headers.ETag = $"\"{asset.Version}\"";
            return Results.Bytes(asset.Content, asset.ContentType);
        }).AllowAnonymous();
        return app;
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        const string prefix = "console-assets/";
        var assembly = typeof(ConsoleAssets).Assembly;
        var files = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var name = resource[prefix.Length..];
            var type = name.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8"
                : name.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript; charset=utf-8"
                : name.EndsWith(".svg", StringComparison.Ordinal) ? "image/svg+xml"
                : "application/octet-stream";
            files[name] = new Asset(content, type, Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 8)));
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record Asset(byte[] Content, string ContentType, string Version);
}
