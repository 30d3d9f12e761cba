using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using WebhookProcessor.Hosting;
using WebhookProcessor.Storage;

namespace WebhookProcessor.OpsConsole;

/// <summary>
/// Where the keys that encrypt the console's session and antiforgery cookies live. On the embedded default
/// they sit in <c>keys/</c> under the data folder (<c>Storage:Sqlite:Path</c>), so sessions survive a restart
/// and every process sharing that folder reads the same ring. With Azure Tables the app runs on Azure, and
/// ASP.NET Core's own choice applies (App Service: <c>%HOME%/ASP.NET/DataProtection-Keys</c>).
/// </summary>
public static class ConsoleKeyRing
{
    public const string FolderName = "keys";

    public static WebApplicationBuilder AddConsoleKeyRing(this WebApplicationBuilder builder)
    {
        builder.Services.AddDataProtection().SetApplicationName("WebhookProcessor");
        var storage = builder.Configuration[Providers.StorageProviderKey];
        if (!string.IsNullOrWhiteSpace(storage) && !string.Equals(storage, Providers.SqliteProvider, StringComparison.OrdinalIgnoreCase))
        {
            return builder;
        }

        builder.Services.AddSqliteStorage();
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceProvider, ILoggerFactory>((options, services, loggers) =>
            {
                var folder = new DirectoryInfo(SqliteRegistration.DataFile(services, FolderName));
                options.XmlRepository = new FileSystemXmlRepository(folder, loggers);
            });
        return builder;
    }
}
