using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using WebhookProcessor.IntegrationTests.Infrastructure;
using WebhookProcessor.OpsConsole;

namespace WebhookProcessor.IntegrationTests.OpsConsole;

/// <summary>The keys that encrypt console cookies, kept in the data folder on the embedded default.</summary>
public sealed class ConsoleKeyRingTests
{
    [Fact]
    public async Task KeyRing_EmbeddedDefault_LivesInTheDataFolderAndOutlivesARestart()
    {
        var first = await InProcessService.StartAsync();
        var folder = first.DataFolder;
        string sealedText;
        try
        {
            // The purpose string is arbitrary: any protector draws on the same key ring as the cookies.
            sealedText = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("key-ring-test").Protect("still readable");
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(folder, ConsoleKeyRing.FolderName), "key-*.xml"));
        }
        finally
        {
            await first.StopAsync();
        }

        await using var second = await InProcessService.StartAsync(dataFolder: folder);
        Assert.Equal("still readable", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("key-ring-test").Unprotect(sealedText));
    }
}
