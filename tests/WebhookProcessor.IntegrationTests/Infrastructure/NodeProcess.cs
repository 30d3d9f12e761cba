using System.Diagnostics;
using System.Text;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A server from tests/tools run as <c>node &lt;script&gt;</c> (not through a .bin shim, so the process
/// killed is the server itself), with its output kept for error messages.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NodeProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

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

    /// <summary>
    /// Starts the script and waits until <paramref name="isUp"/> says so; throws with the output if it
    /// exits or is not up within <paramref name="timeout"/> (the process is stopped then).
    /// </summary>
    public static async Task<NodeProcess> StartAsync(string name, string workingDirectory, IEnumerable<string> scriptAndArguments, Func<Task<bool>> isUp, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in scriptAndArguments)
        {
            info.ArgumentList.Add(argument);
        }

        var node = new NodeProcess(Process.Start(info) ?? throw new InvalidOperationException("node did not start"));
        node._process.OutputDataReceived += (_, e) => node.Append(e.Data);
        node._process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        try
        {
            await Eventually.Until(
                async () => node.HasExited
                    ? throw new InvalidOperationException($"{name} exited with {node._process.ExitCode}:\n{node.Output}")
                    : await isUp(),
                up => up,
                timeout,
                $"{name} to answer");
            return node;
        }
        catch (Exception ex)
        {
            var output = node.Output;
            await node.DisposeAsync();
            throw ex is InvalidOperationException ? ex : new InvalidOperationException($"{ex.Message}\n{output}", ex);
        }
    }

    /// <summary>Kills the server (and anything it started) and waits for it to go.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
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
