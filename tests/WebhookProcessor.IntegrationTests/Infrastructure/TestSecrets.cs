namespace WebhookProcessor.IntegrationTests.Infrastructure;

public static class TestSecrets
{
    public const string AppSecret = "integration-app-secret-7f3a9c";
    public const string RotatedAppSecret = "integration-app-secret-rotated-51be";
    public const string VerifyToken = "integration-verify-token-2d8e";
    public const string OpsKey = "integration-ops-key-0123456789abcdef";
}
