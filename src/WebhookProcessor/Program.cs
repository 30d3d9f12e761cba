using Microsoft.Extensions.Options;
using WebhookProcessor.Hosting;
using WebhookProcessor.Tools;

if (args.Length > 0 && args[0] == SendCommand.Name)
{
    return await SendCommand.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == SmokeCommand.Name)
{
    return await SmokeCommand.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == ReconcileCommand.Name)
{
    // Ctrl+C ends the run as failed and saved, with its accounts released, rather than killing it mid-write.
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };
    return await ReconcileCommand.RunAsync(args[1..], cancellationToken: cancel.Token);
}

try
{
    var app = WebhookProcessorApp.Build(args);
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    // Configuration mistakes name the key to fix; a stack trace would only hide it.
    Console.Error.WriteLine("WebhookProcessor did not start: the configuration is invalid.");
    foreach (var failure in ex.Failures)
    {
        Console.Error.WriteLine($"  - {failure}");
    }

    return 2;
}
catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
{
    Console.Error.WriteLine("WebhookProcessor did not start: the configuration is invalid.");
    foreach (var failure in ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures))
    {
        Console.Error.WriteLine($"  - {failure}");
    }

    return 2;
}

public partial class Program;
