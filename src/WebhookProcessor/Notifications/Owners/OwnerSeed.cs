using System.Text.Json;
using Microsoft.Extensions.Options;

namespace WebhookProcessor.Notifications;

/// <summary>
/// Upserts the owners listed in <c>Notifications:OwnersFile</c> at start-up. The file wins over earlier
/// API edits of the same owner ids; owners not in the file are left alone. A file that cannot be read
/// or holds an invalid owner stops start-up with a message naming the entry and field.
/// </summary>
/// <remarks>
/// The work is done in <see cref="StartingAsync"/>: the host runs that for every lifecycle service before
/// it starts any hosted service, so the owners are in place before the queue worker (or anything else)
/// routes its first alert, wherever the seed sits in the registration order.
/// </remarks>
public sealed partial class OwnerSeed(INotificationStore store, IOptions<NotificationOptions> options, IHostEnvironment environment, TimeProvider clock, ILogger<OwnerSeed> logger) : IHostedLifecycleService
{
    public const string Key = "Notifications:OwnersFile";

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (options.Value.OwnersFile is not { Length: > 0 } configured)
        {
            return;
        }

        var owners = Load(Path.GetFullPath(configured, environment.ContentRootPath), TeamsUrlPolicy.From(options.Value));
        foreach (var owner in owners)
        {
            await store.UpsertOwnerAsync(owner, clock.GetUtcNow(), cancellationToken);
        }

        Log.Seeded(logger, owners.Count, configured);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static IReadOnlyList<Owner> Load(string path, bool allowInsecureUrls) => Load(path, new TeamsUrlPolicy(allowInsecureUrls));

    public static IReadOnlyList<Owner> Load(string path, TeamsUrlPolicy teamsUrls)
    {
        List<OwnerInput>? entries;
        try
        {
            using var stream = File.OpenRead(path);
            entries = JsonSerializer.Deserialize<List<OwnerInput>>(stream, NotificationRows.Json);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw Invalid($"{Key} '{path}' cannot be read as a JSON array of owners: {ex.Message}");
        }

        var owners = new List<Owner>();
        for (var i = 0; i < (entries?.Count ?? 0); i++)
        {
            var entry = entries![i];
            var (owner, errors) = OwnerValidator.Validate(entry?.Id, entry, teamsUrls);
            if (owner is null)
            {
                var fields = string.Join(" ", errors.Select(e => $"{(e.Key == "ownerId" ? "id" : e.Key)}: {string.Join(" ", e.Value)}"));
                throw Invalid($"{Key} '{path}', owner [{i}]{(entry?.Id is { } id ? $" '{id}'" : string.Empty)}: {fields}");
            }

            if (owners.FirstOrDefault(o => o.Id == owner.Id || o.Match == owner.Match) is { } clash)
            {
                throw Invalid($"{Key} '{path}', owner [{i}] '{owner.Id}': owner '{clash.Id}' earlier in the file has the same {(clash.Id == owner.Id ? "id" : "match")}.");
            }

            owners.Add(owner);
        }

        return owners;
    }

    private static OptionsValidationException Invalid(string message) =>
        new(Key, typeof(NotificationOptions), [message]);

    private static partial class Log
    {
        [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Loaded {Count} owner(s) from {File}")]
        public static partial void Seeded(ILogger logger, int count, string file);
    }
}
