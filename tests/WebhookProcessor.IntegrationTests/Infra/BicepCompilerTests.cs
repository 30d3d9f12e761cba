using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Infra;

/// <summary>
/// Every Bicep file under infra/ goes through the real compiler (the Azure.Bicep.CommandLine package the
/// test project restores; it needs no network), so a wrong type, property or API version fails here and
/// not at deployment. Warnings count as failures: the linter's findings are how Bicep reports most
/// mistakes that still compile.
/// </summary>
public sealed class BicepCompilerTests
{
    private static readonly TimeSpan CompilerTimeout = TimeSpan.FromMinutes(3);

    public static TheoryData<string> BicepFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot(), "infra"), "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepositoryRoot(), file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task Build_InfraFile_CompilesWithoutWarnings(string file)
    {
        using var output = new TempFolder();

        var result = await RunBicepAsync("build", Path.Combine(RepositoryRoot(), file), "--outdir", output.Path);

        Assert.True(result.ExitCode == 0 && result.Diagnostics.Length == 0, $"bicep build {file} (exit {result.ExitCode}):\n{result.Diagnostics}");
        Assert.True(File.Exists(Path.Combine(output.Path, Path.ChangeExtension(Path.GetFileName(file), ".json"))), "bicep build wrote no template.");
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task Lint_InfraFile_HasNoFindings(string file)
    {
        var result = await RunBicepAsync("lint", Path.Combine(RepositoryRoot(), file));

        Assert.True(result.ExitCode == 0 && result.Diagnostics.Length == 0, $"bicep lint {file} (exit {result.ExitCode}):\n{result.Diagnostics}");
    }

    [Fact]
    public async Task Lint_FileWithAnUnusedParameter_ReportsTheWarning()
    {
        // The check above relies on the CLI writing findings to stderr while still exiting 0: prove it does.
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "unused.bicep");
        await File.WriteAllTextAsync(file, "param unusedName string = 'x'\n");

        var result = await RunBicepAsync("lint", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("no-unused-params", result.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParametersFile_AgainstTheCompiledTemplate_NamesOnlyDeclaredParametersWithValidValues()
    {
        using var output = new TempFolder();
        var build = await RunBicepAsync("build", Path.Combine(RepositoryRoot(), "infra", "main.bicep"), "--outdir", output.Path);
        Assert.Equal(0, build.ExitCode);
        var declared = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output.Path, "main.json"))).RootElement.GetProperty("parameters");
        var given = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "infra", "main.parameters.json"))).RootElement.GetProperty("parameters");

        var problems = ParameterProblems(declared, given);

        Assert.True(problems.Count == 0, "infra/main.parameters.json does not fit infra/main.bicep:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void ParameterProblems_WrongTypeUnknownNameAndDisallowedValue_AreAllReported()
    {
        var declared = JsonDocument.Parse("""
            {
              "name": { "type": "string", "minLength": 3 },
              "port": { "type": "int", "minValue": 1, "maxValue": 10 },
              "memory": { "type": "int", "allowedValues": [512, 2048] },
              "secret": { "type": "securestring" },
              "required": { "type": "string" }
            }
            """).RootElement;
        var given = JsonDocument.Parse("""
            { "name": { "value": "ab" }, "port": { "value": "7" }, "memory": { "value": 1024 }, "typo": { "value": 1 } }
            """).RootElement;

        var problems = ParameterProblems(declared, given);

        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.Contains("'typo'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'name'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'port'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'memory'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'required'", StringComparison.Ordinal));
    }

    /// <summary>
    /// What ARM would reject in a parameters file: unknown names, values of the wrong type or outside the
    /// declared limits, and required parameters missing (secure ones excepted: the CLI asks for them).
    /// </summary>
    private static List<string> ParameterProblems(JsonElement declared, JsonElement given)
    {
        var problems = new List<string>();
        foreach (var parameter in given.EnumerateObject())
        {
            if (!declared.TryGetProperty(parameter.Name, out var declaration))
            {
                problems.Add($"'{parameter.Name}' is not a parameter of the template.");
                continue;
            }

            var value = parameter.Value.GetProperty("value");
            var type = declaration.GetProperty("type").GetString()!.ToLowerInvariant();
            var expected = type switch
            {
                "int" => JsonValueKind.Number,
                "bool" => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.ValueKind : JsonValueKind.True,
                "object" or "secureobject" => JsonValueKind.Object,
                "array" => JsonValueKind.Array,
                _ => JsonValueKind.String,
            };
            if (value.ValueKind != expected)
            {
                problems.Add($"'{parameter.Name}' is {type} but the file gives {value.ValueKind}.");
                continue;
            }

            if (declaration.TryGetProperty("allowedValues", out var allowed) && !allowed.EnumerateArray().Any(a => a.GetRawText() == value.GetRawText()))
            {
                problems.Add($"'{parameter.Name}' is {value.GetRawText()}, not one of {allowed.GetRawText()}.");
            }

            if (value.ValueKind == JsonValueKind.Number
                && ((declaration.TryGetProperty("minValue", out var min) && value.GetInt64() < min.GetInt64())
                    || (declaration.TryGetProperty("maxValue", out var max) && value.GetInt64() > max.GetInt64())))
            {
                problems.Add($"'{parameter.Name}' is {value.GetInt64()}, outside its declared range.");
            }

            if (value.ValueKind == JsonValueKind.String
                && ((declaration.TryGetProperty("minLength", out var shortest) && value.GetString()!.Length < shortest.GetInt32())
                    || (declaration.TryGetProperty("maxLength", out var longest) && value.GetString()!.Length > longest.GetInt32())))
            {
                problems.Add($"'{parameter.Name}' has {value.GetString()!.Length} characters, outside its declared length.");
            }
        }

        foreach (var declaration in declared.EnumerateObject())
        {
            var secure = declaration.Value.GetProperty("type").GetString()!.StartsWith("secure", StringComparison.OrdinalIgnoreCase);
            if (!declaration.Value.TryGetProperty("defaultValue", out _) && !secure && !given.TryGetProperty(declaration.Name, out _))
            {
                problems.Add($"'{declaration.Name}' is required and has no value in the file.");
            }
        }

        return problems;
    }

    private static async Task<(int ExitCode, string Diagnostics)> RunBicepAsync(params string[] arguments)
    {
        var cli = BicepCli();
        var start = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var (_, stderr) = await ProcessExit.WaitAsync(process, CompilerTimeout, $"bicep {string.Join(' ', arguments)} did not finish within {CompilerTimeout}.");
        return (process.ExitCode, stderr.Trim());
    }

    /// <summary>The CLI inside the restored package; NuGet extracts it without the execute bit.</summary>
    private static string BicepCli()
    {
        var path = typeof(BicepCompilerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepCli").Value!;
        Assert.True(File.Exists(path), $"The Bicep CLI is not at {path}: restore the test project (PackageDownload Azure.Bicep.CommandLine.linux-x64).");
        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        }

        return path;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "WebhookProcessor.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with WebhookProcessor.sln) is not above the test's folder.");
    }
}
