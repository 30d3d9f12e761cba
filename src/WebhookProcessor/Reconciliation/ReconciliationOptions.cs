namespace WebhookProcessor.Reconciliation;

/// <summary>
/// Settings under <c>Reconciliation</c>: when runs happen. Runs need a Graph API token as well
/// (<see cref="GraphApiOptions.IsConfigured"/>); without one nothing is scheduled whatever these say.
/// </summary>
public sealed class ReconciliationOptions
{
    public const string SectionName = "Reconciliation";

    /// <summary>Scheduled runs (the embedded loop, the <c>ReconcileCatalog</c> timer). A run asked for through the API or the CLI still runs when this is false.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Time between scheduled runs over every account.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(6);

    /// <summary>How long after its effective time a pending category change may go without a completed update before the template is fetched on its own.</summary>
    public TimeSpan OverdueGrace { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How often the embedded loop looks for overdue pending changes between full runs.</summary>
    public TimeSpan OverdueCheckInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a run's claim on an account lasts without renewal; a crashed run's accounts are free again after it.</summary>
    public TimeSpan ClaimDuration { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Catalog changes committed together while a run applies differences.</summary>
    public int BatchSize { get; init; } = 200;
}
