using System.Net;
using WebhookProcessor.Reconciliation;

namespace WebhookProcessor.UnitTests.Reconciliation;

public sealed class GraphApiErrorsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(400, 190, GraphApiErrorKind.Authentication)]
    [InlineData(401, 190, GraphApiErrorKind.Authentication)]
    [InlineData(400, 102, GraphApiErrorKind.Authentication)]
    [InlineData(403, 10, GraphApiErrorKind.Authentication)]
    [InlineData(403, 200, GraphApiErrorKind.Authentication)]
    [InlineData(403, 299, GraphApiErrorKind.Authentication)]
    [InlineData(401, null, GraphApiErrorKind.Authentication)]
    [InlineData(400, 4, GraphApiErrorKind.Throttled)]
    [InlineData(400, 17, GraphApiErrorKind.Throttled)]
    [InlineData(400, 32, GraphApiErrorKind.Throttled)]
    [InlineData(400, 613, GraphApiErrorKind.Throttled)]
    [InlineData(400, 80007, GraphApiErrorKind.Throttled)]
    [InlineData(429, null, GraphApiErrorKind.Throttled)]
    [InlineData(500, null, GraphApiErrorKind.Transient)]
    [InlineData(503, 2, GraphApiErrorKind.Transient)]
    [InlineData(408, null, GraphApiErrorKind.Transient)]
    [InlineData(400, 100, GraphApiErrorKind.Other)]
    [InlineData(404, null, GraphApiErrorKind.Other)]
    [InlineData(400, 300, GraphApiErrorKind.Other)]
    public void Classify_StatusAndCode_GivesKind(int status, int? code, GraphApiErrorKind expected)
    {
        Assert.Equal(expected, GraphApiErrors.Classify(status, code));
    }

    [Fact]
    public void FromResponse_ExpiredToken_NamesTheSettingAndPermissionAndTrace()
    {
        var error = FromResponse(HttpStatusCode.BadRequest, """{"error":{"message":"Error validating access token","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"AbCdEf123"}}""");

        Assert.Equal(GraphApiErrorKind.Authentication, error.Kind);
        Assert.Equal(190, error.Code);
        Assert.Equal(463, error.Subcode);
        Assert.Equal("AbCdEf123", error.FbTraceId);
        Assert.Contains("Meta:GraphApi:AccessToken", error.Message, StringComparison.Ordinal);
        Assert.Contains("whatsapp_business_management", error.Message, StringComparison.Ordinal);
        Assert.Contains("fbtrace_id AbCdEf123", error.Message, StringComparison.Ordinal);
        Assert.Null(error.SuggestedWait);
    }

    [Fact]
    public void FromResponse_MessageEchoingTheToken_RedactsIt()
    {
        var error = FromResponse(HttpStatusCode.BadRequest, """{"error":{"message":"Malformed access token EAAG-secret","code":190}}""", secret: "EAAG-secret");

        Assert.DoesNotContain("EAAG-secret", error.Message, StringComparison.Ordinal);
        Assert.Contains("[redacted]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromResponse_ThrottledWithUsageHeader_SuggestsTheLongestRegainTime()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadRequest);
        response.Headers.Add("X-Business-Use-Case-Usage", """{"102290129340398":[{"type":"whatsapp_business_management","call_count":100,"estimated_time_to_regain_access":7},{"estimated_time_to_regain_access":3}]}""");

        var error = GraphApiErrors.FromResponse("x", HttpStatusCode.BadRequest, response.Headers, """{"error":{"code":80007}}""", null, Now);

        Assert.Equal(GraphApiErrorKind.Throttled, error.Kind);
        Assert.Equal(TimeSpan.FromMinutes(7), error.SuggestedWait);
    }

    [Fact]
    public void FromResponse_TooManyRequestsWithRetryAfter_SuggestsThatWait()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.Add("Retry-After", "90");

        var error = GraphApiErrors.FromResponse("x", HttpStatusCode.TooManyRequests, response.Headers, "", null, Now);

        Assert.Equal(GraphApiErrorKind.Throttled, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(90), error.SuggestedWait);
    }

    [Fact]
    public void FromResponse_ThrottledWithoutHint_SuggestsTheDefault()
    {
        var error = FromResponse(HttpStatusCode.BadRequest, """{"error":{"code":4,"message":"Application request limit reached"}}""");

        Assert.Equal(GraphApiErrors.DefaultThrottleWait, error.SuggestedWait);
    }

    [Fact]
    public void FromResponse_NotJson_ClassifiesByStatus()
    {
        var error = FromResponse(HttpStatusCode.BadGateway, "<html>bad gateway</html>");

        Assert.Equal(GraphApiErrorKind.Transient, error.Kind);
        Assert.Null(error.Code);
        Assert.Equal(502, error.HttpStatus);
    }

    private static GraphApiException FromResponse(HttpStatusCode status, string body, string? secret = null)
    {
        using var response = new HttpResponseMessage(status);
        return GraphApiErrors.FromResponse("the template list of account 1", status, response.Headers, body, secret, Now);
    }
}
