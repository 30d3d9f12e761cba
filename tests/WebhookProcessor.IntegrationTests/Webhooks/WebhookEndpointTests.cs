using System.Net;
using System.Text;
using System.Text.Json;
using WebhookProcessor.IntegrationTests.Infrastructure;

namespace WebhookProcessor.IntegrationTests.Webhooks;

public sealed class WebhookEndpointTests
{
    [Fact]
    public async Task Get_MatchingVerifyToken_EchoesChallengeVerbatimAsPlainText()
    {
        await using var service = await InProcessService.StartAsync();
        using var response = await service.Client.Http.GetAsync(
            $"/api/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={TestSecrets.VerifyToken}&hub.challenge=1158201444");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1158201444", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("hub.mode=subscribe&hub.verify_token=wrong-token&hub.challenge=echo-me-back")]
    [InlineData("hub.mode=unsubscribe&hub.verify_token=" + TestSecrets.VerifyToken + "&hub.challenge=echo-me-back")]
    [InlineData("hub.mode=subscribe&hub.challenge=echo-me-back")]
    [InlineData("hub.mode=subscribe&hub.verify_token=" + TestSecrets.VerifyToken)]
    public async Task Get_WrongHandshake_Answers403(string query)
    {
        await using var service = await InProcessService.StartAsync();
        using var response = await service.Client.Http.GetAsync($"/api/webhooks/whatsapp?{query}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("echo-me-back", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_SignedSample_IsAcknowledgedAndReachesCatalogAndHistory()
    {
        await using var service = await InProcessService.StartAsync();
        using var response = await service.Client.PostWebhookAsync(Samples.Read("status-rejected-invalid-format.json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await service.Client.WaitForIdleAsync();
        var template = await service.Client.GetOpsAsync("/api/templates/1689556908129835");
        Assert.Equal("REJECTED", template.GetProperty("status").GetString());
        Assert.Equal("INVALID_FORMAT", template.GetProperty("lastReason").GetString());
        Assert.Equal("MARKETING", template.GetProperty("category").GetString());
        Assert.StartsWith("Your template has parameters", template.GetProperty("rejectionInfo").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("102290129340398", template.GetProperty("wabaId").GetString());

        var events = await service.Client.AllEventsAsync("&templateId=1689556908129835&includeRaw=true");
        var item = Assert.Single(events);
        Assert.Equal("REJECTED", item.GetProperty("event").GetString());
        Assert.Equal("2025-06-30T01:39:08Z", item.GetProperty("occurredAt").GetString());
        Assert.Equal("abandoned_cart", item.GetProperty("raw").GetProperty("value").GetProperty("message_template_name").GetString());
    }

    [Fact]
    public async Task Post_SignedWithRotatedSecret_IsAccepted()
    {
        await using var service = await InProcessService.StartAsync();
        using var response = await service.Client.PostWebhookAsync(Samples.Read("status-approved.json"), TestSecrets.RotatedAppSecret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha1=ce05bd43b721b5a9a2b056007cc5925d16deaf49")]
    [InlineData("not a signature")]
    public async Task Post_MissingOrWrongSignature_Answers401AndStoresNothing(string? signature)
    {
        await using var service = await InProcessService.StartAsync();
        using var response = await service.Client.PostWebhookAsync(Samples.Read("status-approved.json"), secret: null, signature: signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var health = await service.Client.HealthAsync();
        Assert.Equal(0, health.GetProperty("queueDepth").GetInt64());
        Assert.Equal(0, health.GetProperty("deadLetterCount").GetInt64());
        Assert.Empty(await service.Client.AllEventsAsync());
    }

    [Fact]
    public async Task Post_SignedWithUnknownSecret_Answers401()
    {
        await using var service = await InProcessService.StartAsync();
        using var response = await service.Client.PostWebhookAsync(Samples.Read("status-approved.json"), "some-other-apps-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Post_BodyOverLimitWithContentLength_Answers413()
    {
        await using var service = await InProcessService.StartAsync(new Dictionary<string, string?> { ["Meta:MaxBodyBytes"] = "4096" });
        var body = Encoding.UTF8.GetBytes("{\"object\":\"whatsapp_business_account\",\"pad\":\"" + new string('x', 5000) + "\"}");
        using var response = await service.Client.PostWebhookAsync(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, (await service.Client.HealthAsync()).GetProperty("deadLetterCount").GetInt64());
    }

    [Fact]
    public async Task Post_ChunkedBodyOverLimit_Answers413WhileReading()
    {
        await using var service = await InProcessService.StartAsync(new Dictionary<string, string?> { ["Meta:MaxBodyBytes"] = "4096" });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/whatsapp")
        {
            // No Content-Length: the limit has to be enforced on the stream.
            Content = new StreamContent(new NonSeekableStream(new byte[64 * 1024])),
        };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + new string('0', 64));
        using var response = await service.Client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Post_BodyOfFourMegabytes_IsAccepted()
    {
        await using var service = await InProcessService.StartAsync();
        var filler = new string(' ', (4 * 1024 * 1024) - 2000);
        var body = Encoding.UTF8.GetBytes(Samples.StatusWebhook(7001, 1781000000).Replace("\"entry\"", filler + "\"entry\"", StringComparison.Ordinal));
        Assert.True(body.Length > 4_000_000);

        using var response = await service.Client.PostWebhookAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("this is not json", "not valid JSON")]
    [InlineData("{\"object\":\"page\",\"entry\":[]}", "\"object\"")]
    [InlineData("{\"object\":\"whatsapp_business_account\"}", "\"entry\"")]
    [InlineData("[1,2,3]", "not an object")]
    public async Task Post_SignedButUnintelligible_Answers200AndIsShownAsDeadLetter(string body, string reasonFragment)
    {
        await using var service = await InProcessService.StartAsync();
        using var response = await service.Client.PostWebhookAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var page = await service.Client.GetOpsAsync("/api/dead-letters?includeRaw=true");
        var deadLetter = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Contains(reasonFragment, deadLetter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(body, deadLetter.GetProperty("rawBody").GetString());
        Assert.Equal("Intake", deadLetter.GetProperty("source").GetString());
        Assert.Equal(1, (await service.Client.HealthAsync()).GetProperty("deadLetterCount").GetInt64());
    }

    [Fact]
    public async Task Post_LoneSurrogateEscapeInOneChange_Answers200DeadLettersItAndKeepsTheSibling()
    {
        await using var service = await InProcessService.StartAsync();
        const string body = """
            {"object":"whatsapp_business_account","entry":[{"id":"555","time":1781000000,"changes":[
              {"field":"message_template_status_update","value":{"event":"\ud800","message_template_id":9101}},
              {"field":"message_template_status_update","value":{"event":"APPROVED","message_template_id":9102}}]}]}
            """;
        using var response = await service.Client.PostWebhookAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await service.Client.WaitForIdleAsync();

        Assert.Equal("APPROVED", (await service.Client.GetOpsAsync("/api/templates/9102")).GetProperty("status").GetString());
        var deadLetter = Assert.Single((await service.Client.GetOpsAsync("/api/dead-letters")).GetProperty("items").EnumerateArray());
        Assert.Contains("cannot be decoded", deadLetter.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_BatchWithUnknownFieldAndMalformedChanges_KeepsEverySibling()
    {
        await using var service = await InProcessService.StartAsync();
        const string body = """
            {"object":"whatsapp_business_account","entry":[
              {"id":"555","time":1781000000,"changes":[
                {"field":"message_template_lifecycle_digest","value":{"message_template_id":9001,"signals":["X"]}},
                {"field":"message_template_status_update","value":{"event":"APPROVED","message_template_id":9002,"message_template_name":"a","message_template_language":"es"}},
                {"value":{"message_template_id":9003}},
                {"field":"message_template_status_update","value":{"event":"PAUSED","message_template_id":"not-a-number"}}
              ]},
              {"id":"556","time":1781000001,"changes":[
                {"field":"message_template_quality_update","value":{"previous_quality_score":"GREEN","new_quality_score":"RED","message_template_id":9004,"message_template_name":"b","message_template_language":"en_US"}}
              ]}
            ]}
            """;
        using var response = await service.Client.PostWebhookAsync(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await service.Client.WaitForIdleAsync();

        var events = await service.Client.AllEventsAsync();
        Assert.Equal(3, events.Count);
        var unknown = Assert.Single(events, e => e.GetProperty("field").GetString() == "message_template_lifecycle_digest");
        Assert.Equal("unknown", unknown.GetProperty("kind").GetString());
        var raw = await service.Client.GetOpsAsync(unknown.GetProperty("rawUrl").GetString()!);
        Assert.Equal("X", raw.GetProperty("value").GetProperty("signals")[0].GetString());
        Assert.Equal("APPROVED", (await service.Client.GetOpsAsync("/api/templates/9002")).GetProperty("status").GetString());
        Assert.Equal("RED", (await service.Client.GetOpsAsync("/api/templates/9004")).GetProperty("qualityScore").GetString());

        var deadLetters = (await service.Client.GetOpsAsync("/api/dead-letters")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, deadLetters.Count);
        Assert.Contains(deadLetters, d => d.GetProperty("source").GetString() == "Intake" && d.GetProperty("reason").GetString()!.Contains("field", StringComparison.Ordinal));
        Assert.Contains(deadLetters, d => d.GetProperty("source").GetString() == "Poison" && d.GetProperty("reason").GetString()!.Contains("message_template_id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_SameWebhookTwiceAndDuplicateInsideBatch_IsOneEvent()
    {
        await using var service = await InProcessService.StartAsync();
        var single = Samples.StatusWebhook(8001, 1781000000);
        using (var first = await service.Client.PostWebhookAsync(single))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await service.Client.WaitForIdleAsync();

        // Meta retrying days later, with the change also repeated inside one batch and its keys reordered.
        using var document = JsonDocument.Parse(single);
        var entry = document.RootElement.GetProperty("entry")[0].GetRawText();
        var reordered = """{"changes":[{"value":{"message_template_category":"UTILITY","reason":"NONE","message_template_language":"es_MX","message_template_name":"order_update_1","message_template_id":8001,"event":"APPROVED"},"field":"message_template_status_update"}],"time":1781000000,"id":"109876543210987"}""";
        var batch = $"{{\"entry\":[{entry},{reordered}],\"object\":\"whatsapp_business_account\"}}";
        using (var second = await service.Client.PostWebhookAsync(batch))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        await service.Client.WaitForIdleAsync();
        var events = await service.Client.AllEventsAsync("&templateId=8001");
        Assert.Single(events);
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
