using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// The npm packages the integration tests run (<c>tests/tools/package.json</c>, locked by its
/// package-lock.json). A bare checkout installs them on first use with <c>npm ci</c>, once, even when
/// several test processes start together.
/// </summary>
public static class NodeTools
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Folder { get; } = Path.Combine(RepositoryRoot, "tests", "tools");

    /// <summary>Runs <c>npm ci</c> in <see cref="Folder"/> unless <c>node_modules/.bin/<paramref name="binary"/></c> is already there.</summary>
    public static async Task EnsureInstalledAsync(string binary)
    {
        var marker = Path.Combine(Folder, "node_modules", ".bin", binary);
        if (File.Exists(marker))
        {
            return;
        }

        // A lock file outside the repository: FileShare.None is an exclusive lock between processes
        // (flock on Unix), and a second test assembly waits here instead of installing over the first.
        var lockPath = Path.Combine(Path.GetTempPath(), $"webhookprocessor-npm-{Hash(Folder)}.lock");
        using var held = await Eventually.Until(
            () => Task.FromResult(TryLock(lockPath)),
            stream => stream is not null,
            InstallTimeout,
            $"the npm install lock {lockPath} (another test run is installing tests/tools)");

        if (!File.Exists(marker))
        {
            await EnsureNpmAsync();
            await RunNpmCiAsync();
        }

        if (!File.Exists(marker))
        {
            throw new InvalidOperationException($"npm ci finished in {Folder} but {marker} is still missing; check tests/tools/package.json");
        }
    }

    /// <summary>
    /// A bare Debian machine has no Node.js: install Debian's nodejs and npm when npm is missing, as
    /// the benchmark script does for wrk, so the README's test command works there unchanged.
    /// </summary>
    private static async Task EnsureNpmAsync()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const string script = """
            command -v npm >/dev/null 2>&1 && exit 0
            command -v apt-get >/dev/null 2>&1 || exit 0
            s=""; [ "$(id -u)" = "0" ] || s="sudo"
            echo "installing Debian's nodejs and npm for the e-mail tests" >&2
            $s apt-get install -y nodejs npm >&2 || { $s apt-get update >&2 && $s apt-get install -y nodejs npm >&2; }
            """;
        var info = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(InstallTimeout);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Installing nodejs and npm with apt-get failed (exit {process.ExitCode}):\n{await stderr}");
        }
    }

    private static async Task RunNpmCiAsync()
    {
        var info = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "ci", "--no-audit", "--no-fund" })
        {
            info.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"npm was not found ({ex.Message}). The e-mail tests run MailDev from npm: install Node.js 18 or later, or run `npm ci` in {Folder}.",
                ex);
        }

        using (process)
        {
            var (stdout, stderr) = await ProcessExit.WaitAsync(
                process, InstallTimeout, $"`npm ci` in {Folder} did not finish within {InstallTimeout}; is the npm registry reachable?");
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"`npm ci` in {Folder} failed with exit code {process.ExitCode}:\n{stdout}\n{stderr}");
            }
        }
    }

    /// <summary>An exclusive lock file between processes, or null while another holds it.</summary>
    internal static FileStream? TryLock(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..16];

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "WebhookProcessor.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"WebhookProcessor.sln was not found above {AppContext.BaseDirectory}");
    }
}
