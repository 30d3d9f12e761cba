using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>The built service run as a separate process, as a user runs it, so it can be killed with SIGKILL.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Client = new ServiceClient(baseAddress);
    }

    public Uri BaseAddress { get; }

    public ServiceClient Client { get; }

    /// <summary>The service's process id, to read its memory from /proc.</summary>
    public int ProcessId => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The service as built beside the tests (the project reference copies it with its runtime config).</summary>
    public static string AppAssembly
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "WebhookProcessor.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("The service was not built beside the tests.", path);
        }
    }

    public static Process StartRaw(IDictionary<string, string?> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(AppAssembly)!,
        };
        info.ArgumentList.Add(AppAssembly);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("Meta__", StringComparison.Ordinal) || k.StartsWith("Ops__", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return Process.Start(info)!;
    }

    public static async Task<ServiceProcess> StartAsync(string dataFolder, IDictionary<string, string?>? extra = null)
    {
        var port = LoopbackPorts.Free();
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Meta__AppSecrets__0"] = TestSecrets.AppSecret,
            ["Meta__VerifyToken"] = TestSecrets.VerifyToken,
            ["Ops__ApiKeys__0"] = TestSecrets.OpsKey,
            ["Storage__Sqlite__Path"] = dataFolder,
            ["Queue__IdlePollInterval"] = "00:00:00.050",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var process = StartRaw(environment, "--urls", $"http://127.0.0.1:{port}");
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        await Eventually.Until(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The service exited with {process.ExitCode}: {service.Output}");
                }

                try
                {
                    using var response = await service.Client.Http.GetAsync("/healthz");
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            up => up,
            TimeSpan.FromSeconds(60),
            "the service to answer /healthz");
        return service;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; only what was durably committed survives.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

}
