using System.Diagnostics;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>Waits for a tool the tests start (standard output and error redirected) without waiting forever.</summary>
public static class ProcessExit
{
    /// <summary>
    /// Both outputs once the process has exited. Past <paramref name="timeout"/> the whole process tree is
    /// killed (a CLI may have started children) and <paramref name="timeoutMessage"/> is thrown.
    /// </summary>
    public static async Task<(string Stdout, string Stderr)> WaitAsync(Process process, TimeSpan timeout, string timeoutMessage)
    {
        // Read both while waiting: a child that fills a pipe nobody reads never exits.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(timeoutMessage);
        }

        return (await stdout, await stderr);
    }
}
