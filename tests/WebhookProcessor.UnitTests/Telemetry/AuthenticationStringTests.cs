using WebhookProcessor.Telemetry;

namespace WebhookProcessor.UnitTests.Telemetry;

public sealed class AuthenticationStringTests
{
    [Theory]
    [InlineData("Authorization=AAD;ClientId=1b2c", true, "1b2c")]
    [InlineData(" clientid = 1b2c ; authorization = aad ", true, "1b2c")]
    [InlineData("Authorization=AAD", true, null)]
    [InlineData("ClientId=1b2c", false, "1b2c")]
    [InlineData("", false, null)]
    [InlineData(null, false, null)]
    public void Read_AuthenticationString_FindsEntraSignInAndClientId(string? value, bool entra, string? clientId) =>
        Assert.Equal((entra, clientId), (AuthenticationString.UsesEntra(value), AuthenticationString.ClientId(value)));
}
