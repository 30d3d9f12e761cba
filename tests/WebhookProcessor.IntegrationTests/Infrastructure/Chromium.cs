using System.Diagnostics;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// Debian's Chromium for the console's browser tests (Playwright's own browser download does not work
/// here). A bare machine gets it with <c>apt-get install -y chromium</c> on first use, once, under the
/// same kind of lock as <see cref="NodeTools"/>, so the README's test command needs nothing installed by hand.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);
    private static readonly SemaphoreSlim InProcess = new(1, 1);

    public static async Task<string> EnsureInstalledAsync()
    {
        if (File.Exists(ExecutablePath))
        {
            return ExecutablePath;
        }

        await InProcess.WaitAsync();
        try
        {
            var lockPath = Path.Combine(Path.GetTempPath(), "webhookprocessor-chromium.lock");
            using var held = await Eventually.Until(
                () => Task.FromResult(NodeTools.TryLock(lockPath)),
                stream => stream is not null,
                InstallTimeout,
                $"the Chromium install lock {lockPath} (another test run is installing it)");
            if (!File.Exists(ExecutablePath))
            {
                await InstallAsync();
            }
        }
        finally
        {
            InProcess.Release();
        }

        return File.Exists(ExecutablePath)
            ? ExecutablePath
            : throw new InvalidOperationException($"apt-get install chromium finished but {ExecutablePath} is missing.");
    }

    private static async Task InstallAsync()
    {
        const string script = """
            command -v apt-get >/dev/null 2>&1 || { echo "no apt-get: install Chromium at /usr/bin/chromium by hand" >&2; exit 1; }
            s=""; [ "$(id -u)" = "0" ] || s="sudo"
            echo "installing Debian's chromium for the console's browser tests" >&2
            $s apt-get install -y chromium >&2 || { $s apt-get update >&2 && $s apt-get install -y chromium >&2; }
            """;
        var info = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(InstallTimeout);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Installing chromium with apt-get failed (exit {process.ExitCode}):\n{await stderr}");
        }
    }
}
