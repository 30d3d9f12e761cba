using System.Buffers;

namespace WebhookProcessor.Benchmarks;

/// <summary>
/// The ceiling: an empty ASP.NET Core app on the same route, run as its own process like the service,
/// whose POST reads the whole body and answers 200. Nothing is verified, parsed or stored, so its
/// throughput is what Kestrel, the loopback network and wrk allow on this machine.
/// </summary>
internal static class CeilingServer
{
    public const string Command = "ceiling-server";
    public const string Route = "/api/webhooks/whatsapp";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        var app = builder.Build();
        app.MapGet("/healthz", () => TypedResults.Ok());
        // Cast to Delegate: a route handler like the service's, whose IResult is executed (200, empty body).
        app.MapPost(Route, (Delegate)ReceiveAsync);
        await app.RunAsync();
        return 0;
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            var body = context.Request.Body;
            while (await body.ReadAsync(buffer, context.RequestAborted) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return TypedResults.Ok();
    }
}
