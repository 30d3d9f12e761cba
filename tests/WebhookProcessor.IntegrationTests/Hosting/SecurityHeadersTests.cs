using System.Text;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Hosting;

public sealed class SecurityHeadersTests
{
    [Fact]
    public async Task EveryResponse_AnyRoute_CarriesNoSniff()
    {
        await using var service = await InProcessService.StartAsync();
        var http = service.Client.Http;
        var responses = new List<(string What, HttpResponseMessage Response)>
        {
            ("handshake echo", await http.GetAsync($"/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={TestSecrets.VerifyToken}&hub.challenge=%3Cscript%3E")),
            ("handshake refused", await http.GetAsync("/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1")),
            ("webhook accepted", await service.Client.PostWebhookAsync(Samples.StatusWebhook(templateId: 5150, entryTime: 1781000000))),
            ("webhook unsigned", await service.Client.PostWebhookAsync(Encoding.UTF8.GetBytes("{}"), secret: null)),
            ("ops", await service.Client.SendOpsAsync("/api/dead-letters")),
            ("ops without key", await service.Client.SendOpsAsync("/api/dead-letters", key: null)),
            ("health", await http.GetAsync("/healthz")),
            ("unknown route", await http.GetAsync("/no/such/route")),
        };

        foreach (var (what, response) in responses)
        {
            using (response)
            {
                Assert.True(
                    response.Headers.TryGetValues("X-Content-Type-Options", out var values) && values.Single() == "nosniff",
                    $"{what} ({(int)response.StatusCode}) has no X-Content-Type-Options: nosniff");
            }
        }
    }
}
