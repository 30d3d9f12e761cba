using System.Text.RegularExpressions;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.Tools;

namespace WebhookProcessor.IntegrationTests.Hosting;

/// <summary>The post-deployment check, run against the real app on a loopback port instead of a deployment.</summary>
public sealed partial class SmokeCommandTests
{
    [Fact]
    public async Task Smoke_AgainstTheRunningService_PassesEachStepAndTheEventIsInHistory()
    {
        await using var service = await InProcessService.StartAsync();
        using var output = new StringWriter();

        var exitCode = await SmokeCommand.RunAsync(Arguments(service.Client.Http.BaseAddress!), output);

        var text = output.ToString();
        Assert.True(exitCode == 0, text);
        Assert.Matches(@"\[ok\] 1/3 GET http://127\.0\.0\.1:\d+/api/healthz -> 200 .* \(\d+ ms\)", text);
        Assert.Matches(@"\[ok\] 2/3 POST http://127\.0\.0\.1:\d+/api/webhooks/whatsapp \(template 9\d{18}\) -> 200", text);
        Assert.Contains("PASSED in ", text, StringComparison.Ordinal);
        var found = EventLine().Match(text);
        Assert.True(found.Success, text);
        var events = await service.Client.GetOpsAsync("/api/events?templateId=" + found.Groups["template"].Value);
        var stored = Assert.Single(events.GetProperty("items").EnumerateArray());
        Assert.Equal(found.Groups["event"].Value, stored.GetProperty("eventId").GetString());
        Assert.Equal(SmokeCommand.TemplateName, stored.GetProperty("templateName").GetString());
    }

    [Fact]
    public async Task Smoke_RunTwice_SendsANewEventEachTime()
    {
        await using var service = await InProcessService.StartAsync();
        using var first = new StringWriter();
        using var second = new StringWriter();

        Assert.Equal(0, await SmokeCommand.RunAsync(Arguments(service.Client.Http.BaseAddress!), first));
        Assert.Equal(0, await SmokeCommand.RunAsync(Arguments(service.Client.Http.BaseAddress!), second));

        Assert.NotEqual(EventLine().Match(first.ToString()).Groups["event"].Value, EventLine().Match(second.ToString()).Groups["event"].Value);
    }

    [Fact]
    public async Task Smoke_WithAWrongOpsKey_FailsAtTheLookupAndNamesTheKeys()
    {
        var (exitCode, output) = await RunAgainstServiceAsync(url => Arguments(url, apiKey: "not-an-ops-key-0123456789"));

        AssertFailed(exitCode, output, "[FAIL] 3/3", "Ops:ApiKeys", "FAILED in ");
    }

    [Fact]
    public async Task Smoke_WithAWrongSecret_FailsAtThePost()
    {
        var (exitCode, output) = await RunAgainstServiceAsync(url => Arguments(url, secret: "not-the-app-secret"));

        AssertFailed(exitCode, output, "[FAIL] 2/3 POST", "Meta:AppSecrets");
        Assert.DoesNotContain("3/3", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smoke_WhenNothingProcessesTheQueue_FailsAtTheDeadline()
    {
        // Webhooks are stored and answered, but the worker is paused: the event never reaches history.
        var (exitCode, output) = await RunAgainstServiceAsync(
            url => [.. Arguments(url), "--timeout", "2"],
            new Dictionary<string, string?> { ["Queue:WorkerEnabled"] = "false" });

        AssertFailed(exitCode, output, "[ok] 2/3", "[FAIL] 3/3", "did not show within 2 s");
    }

    [Fact]
    public async Task Smoke_NothingListening_FailsAtTheHealthCheck()
    {
        using var output = new StringWriter();

        var exitCode = await SmokeCommand.RunAsync(Arguments(new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}/")), output);

        AssertFailed(exitCode, output.ToString(), "[FAIL] 1/3", "Nothing answered at http://127.0.0.1:");
    }

    [Theory]
    [InlineData("--secret", "s", "--api-key")]
    [InlineData("--url", "not a url", "--url must be")]
    [InlineData("--timeout", "0", "--timeout is a number of seconds")]
    public async Task Smoke_WithAMissingOrBadArgument_ExitsWithUsage(string name, string value, string expected)
    {
        var arguments = new Dictionary<string, string> { ["--url"] = "http://127.0.0.1:1/", ["--secret"] = "s", ["--api-key"] = "k" };
        arguments[name] = value;
        if (name == "--secret")
        {
            arguments.Remove("--api-key");
        }

        using var output = new StringWriter();

        var exitCode = await SmokeCommand.RunAsync(arguments.SelectMany(a => new[] { a.Key, a.Value }).ToArray(), output);

        Assert.Equal(64, exitCode);
        Assert.Contains(expected, output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Runs the command against a fresh in-process service, with the arguments built from its address.</summary>
    private static async Task<(int ExitCode, string Output)> RunAgainstServiceAsync(Func<Uri, string[]> arguments, IDictionary<string, string?>? settings = null)
    {
        await using var service = await InProcessService.StartAsync(settings);
        using var output = new StringWriter();
        var exitCode = await SmokeCommand.RunAsync(arguments(service.Client.Http.BaseAddress!), output);
        return (exitCode, output.ToString());
    }

    private static void AssertFailed(int exitCode, string output, params string[] expected)
    {
        Assert.Equal(1, exitCode);
        foreach (var text in expected)
        {
            Assert.Contains(text, output, StringComparison.Ordinal);
        }
    }

    private static string[] Arguments(Uri baseUrl, string secret = TestSecrets.AppSecret, string apiKey = TestSecrets.OpsKey) =>
        ["--url", baseUrl.ToString(), "--secret", secret, "--api-key", apiKey];

    [GeneratedRegex(@"\[ok\] 3/3 GET \S+templateId=(?<template>\d+) -> event (?<event>\S+) in history")]
    private static partial Regex EventLine();
}
