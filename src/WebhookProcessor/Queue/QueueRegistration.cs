using Microsoft.Extensions.Options;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Queue;

/// <summary>The intake queue's settings, and the embedded SQLite queue for a host that picks it.</summary>
public static class QueueRegistration
{
    /// <summary><see cref="QueueOptions"/> (section <c>Queue</c>), validated at start-up.</summary>
    public static WebApplicationBuilder AddEventQueue(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<QueueOptions>().BindConfiguration(QueueOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<QueueOptions>, QueueOptionsValidator>();
        return builder;
    }

    /// <summary>
    /// The SQLite queue (<c>queue.db</c> in the data folder) as every queue port: <see cref="IEventQueue"/>,
    /// <see cref="IQueueConsumer"/>, <see cref="IQueueMonitor"/> and <see cref="IDeadLetterSink"/>. Its
    /// writer and checkpointer start with the host (<see cref="StartWithHost{T}"/>), not when resolved.
    /// </summary>
    public static IServiceCollection AddSqliteQueue(this IServiceCollection services)
    {
        services.AddSqliteStorage();
        services.AddSingleton(sp => new SqliteEventQueue(
            new SqliteDatabase(SqliteRegistration.DataFile(sp, "queue.db")),
            sp.GetRequiredService<IOptions<QueueOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SqliteEventQueue>>(),
            sp.GetService<Telemetry.WebhookMetrics>()));
        services.AddSingleton<IEventQueue>(sp => sp.GetRequiredService<SqliteEventQueue>());
        services.AddSingleton<IQueueConsumer>(sp => sp.GetRequiredService<SqliteEventQueue>());
        services.AddSingleton<IQueueMonitor>(sp => sp.GetRequiredService<SqliteEventQueue>().Monitor);
        services.AddSingleton<IDeadLetterSink>(sp => sp.GetRequiredService<SqliteEventQueue>());
        services.AddHostedService<StartWithHost<SqliteEventQueue>>();
        return services;
    }
}
