using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace WebhookProcessor.Storage;

/// <summary>What every SQLite implementation shares: <see cref="SqliteOptions"/> and where its files live.</summary>
public static class SqliteRegistration
{
    /// <summary>
    /// Binds and validates <c>Storage:Sqlite</c>. Each SQLite store calls it; the options are registered
    /// once however many do, so a bad path is reported once.
    /// </summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<SqliteOptions>)))
        {
            return services;
        }

        services.AddOptions<SqliteOptions>().BindConfiguration(SqliteOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteOptions>, SqliteOptionsValidator>());
        return services;
    }

    /// <summary>The full path of <paramref name="fileName"/> in the configured data folder (relative to the content root).</summary>
    public static string DataFile(IServiceProvider services, string fileName)
    {
        var configured = services.GetRequiredService<IOptions<SqliteOptions>>().Value.Path;
        var folder = Path.GetFullPath(configured, services.GetRequiredService<IHostEnvironment>().ContentRootPath);
        return Path.Combine(folder, fileName);
    }
}
