using Microsoft.Extensions.Options;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Catalog;

/// <summary>The template catalog and its history: settings and retention, and the SQLite store for a host that picks it.</summary>
public static class CatalogRegistration
{
    /// <summary>The SQLite file of the catalog and history; the SQLite alert outbox shares it so both commit in one transaction.</summary>
    public const string SqliteFileName = "catalog.db";

    /// <summary><see cref="HistoryOptions"/> (section <c>History</c>) and the retention job, over whichever <see cref="ITemplateStore"/> the host picked.</summary>
    public static WebApplicationBuilder AddCatalog(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HistoryOptions>, HistoryOptionsValidator>();
        builder.Services.AddHostedService<HistoryRetentionService>();
        return builder;
    }

    /// <summary>The SQLite <see cref="ITemplateStore"/> in <c>catalog.db</c>; its checkpointer starts with the host.</summary>
    public static IServiceCollection AddSqliteCatalog(this IServiceCollection services)
    {
        services.AddSqliteStorage();
        services.AddSingleton(sp => new SqliteTemplateStore(
            new SqliteDatabase(SqliteRegistration.DataFile(sp, SqliteFileName)),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SqliteTemplateStore>>()));
        services.AddSingleton<ITemplateStore>(sp => sp.GetRequiredService<SqliteTemplateStore>());
        services.AddHostedService<StartWithHost<SqliteTemplateStore>>();
        return services;
    }
}
