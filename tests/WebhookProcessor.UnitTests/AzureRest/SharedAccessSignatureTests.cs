using System.Net;
using System.Security.Cryptography;
using System.Text;
using WebhookProcessor.AzureRest.ServiceBus;

namespace WebhookProcessor.UnitTests.AzureRest;

public sealed class SharedAccessSignatureTests
{
    private const string Resource = "https://contoso.servicebus.windows.net/template-events";
    private const string KeyName = "RootManageSharedAccessKey";
    private const string Key = "2nAz/x8eW1+8Q0qK1mEVcr1yBqWi3mE0cHlUKr5yqQA=";
    private static readonly DateTimeOffset Expiry = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void CreateToken_KnownKeyAndTime_MatchesAnIndependentComputation()
    {
        // Independently: WebUtility's encoder, an HMAC instance and the key as UTF-8 text (not base64-decoded).
        const string expectedExpiry = "1893553445";
        var encodedResource = WebUtility.UrlEncode(Resource);
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Key));
        var signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(encodedResource + "\n" + expectedExpiry)));
        var expected = $"SharedAccessSignature sr={encodedResource}&sig={WebUtility.UrlEncode(signature)}&se={expectedExpiry}&skn={KeyName}";

        var token = SharedAccessSignature.CreateToken(Resource, KeyName, Key, Expiry);

        Assert.Equal(expected, token);
        Assert.Equal(expectedExpiry, Expiry.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.StartsWith("SharedAccessSignature sr=https%3A%2F%2Fcontoso.servicebus.windows.net%2Ftemplate-events&sig=", token, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateToken_DifferentKey_DifferentSignature()
    {
        var a = SharedAccessSignature.CreateToken(Resource, KeyName, Key, Expiry);
        var b = SharedAccessSignature.CreateToken(Resource, KeyName, Key + "x", Expiry);

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Policy_WithinFourFifthsOfTheLifetime_ReusesTheTokenThenRenews()
    {
        var clock = new StepClock(Expiry.AddHours(-10));
        var policy = new SharedAccessSignaturePolicy(Resource, KeyName, Key, TimeSpan.FromMinutes(60), clock);

        var first = policy.CurrentToken();
        clock.Now += TimeSpan.FromMinutes(47);
        var reused = policy.CurrentToken();
        clock.Now += TimeSpan.FromMinutes(2);
        var renewed = policy.CurrentToken();

        Assert.Same(first, reused);
        Assert.NotEqual(first, renewed);
        Assert.Contains($"&se={(clock.Now + TimeSpan.FromMinutes(60)).ToUnixTimeSeconds()}&", renewed, StringComparison.Ordinal);
    }

    private sealed class StepClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
