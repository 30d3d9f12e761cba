using Microsoft.Extensions.Options;

namespace WebhookProcessor.Notifications;

public sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var failures = new List<string>();
        const string S = NotificationOptions.SectionName;
        foreach (var kind in options.Alerts.Keys.Where(k => !AlertKinds.All.Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            failures.Add($"{S}:Alerts:{kind} is not an alert kind; use one of {string.Join(", ", AlertKinds.All)}.");
        }

        var smtp = options.Smtp;
        if (smtp.Port is < 1 or > 65535)
        {
            failures.Add($"{S}:Smtp:Port must be between 1 and 65535 (587 for STARTTLS submission).");
        }

        if (!string.IsNullOrWhiteSpace(smtp.Host) && !EmailAddresses.TryParseMailbox(smtp.From, out _))
        {
            failures.Add($"{S}:Smtp:From must be the sender's e-mail address when {S}:Smtp:Host is set.");
        }

        if (string.IsNullOrEmpty(smtp.UserName) != string.IsNullOrEmpty(smtp.Password))
        {
            failures.Add($"{S}:Smtp:UserName and {S}:Smtp:Password go together: set both or neither.");
        }

        var d = options.Delivery;
        Positive(failures, d.PollInterval, $"{S}:Delivery:PollInterval");
        Positive(failures, d.RetryBaseDelay, $"{S}:Delivery:RetryBaseDelay");
        if (d.RetryMaxDelay < d.RetryBaseDelay)
        {
            failures.Add($"{S}:Delivery:RetryMaxDelay must be at least {S}:Delivery:RetryBaseDelay.");
        }

        if (d.MaxAttempts is < 1 or > 100)
        {
            failures.Add($"{S}:Delivery:MaxAttempts must be between 1 and 100.");
        }

        if (d.Concurrency is < 1 or > 64)
        {
            failures.Add($"{S}:Delivery:Concurrency must be between 1 and 64.");
        }

        var r = options.Resilience;
        if (r.MaxRetryAttempts is < 0 or > 20)
        {
            failures.Add($"{S}:Resilience:MaxRetryAttempts must be between 0 and 20.");
        }

        Positive(failures, r.RetryBaseDelay, $"{S}:Resilience:RetryBaseDelay");
        Positive(failures, r.AttemptTimeout, $"{S}:Resilience:AttemptTimeout");
        if (r.FailureRatio is <= 0 or > 1)
        {
            failures.Add($"{S}:Resilience:FailureRatio must be above 0 and at most 1.");
        }

        if (r.MinimumThroughput < 2)
        {
            failures.Add($"{S}:Resilience:MinimumThroughput must be at least 2.");
        }

        if (r.SamplingDuration < TimeSpan.FromMilliseconds(500) || r.BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add($"{S}:Resilience:SamplingDuration and BreakDuration must be at least 00:00:00.5.");
        }

        foreach (var host in options.Teams.AllowedHosts ?? [])
        {
            // A bare "*" or "*.com" would let an owner's URL name almost any host again.
            var entry = host?.Trim() ?? string.Empty;
            var exact = entry.StartsWith("*.", StringComparison.Ordinal) ? entry[2..] : entry;
            if (exact.Length == 0 || exact.Contains('*', StringComparison.Ordinal) || Uri.CheckHostName(exact) != UriHostNameType.Dns
                || (entry.StartsWith('*') && !exact.Contains('.', StringComparison.Ordinal)))
            {
                failures.Add($"{S}:Teams:AllowedHosts entry '{host}' must be a host name (prod-01.westus.logic.azure.com) or '*.' and a domain of at least two labels (*.logic.azure.com).");
            }
        }

        if (options.Teams.MaxPayloadBytes is < 4096 or > 28 * 1024)
        {
            failures.Add($"{S}:Teams:MaxPayloadBytes must be between 4096 and 28672 (Teams refuses cards above about 28 KB).");
        }

        if (options.Digest.TimeOfDayUtc < TimeSpan.Zero || options.Digest.TimeOfDayUtc >= TimeSpan.FromDays(1))
        {
            failures.Add($"{S}:Digest:TimeOfDayUtc must be a time of day such as 13:00:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, TimeSpan value, string key)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{key} must be a positive duration such as 00:00:30.");
        }
    }
}
