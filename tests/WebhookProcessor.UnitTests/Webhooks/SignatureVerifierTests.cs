using System.Text;
using WebhookProcessor.UnitTests.Support;
using WebhookProcessor.Webhooks;

namespace WebhookProcessor.UnitTests.Webhooks;

public sealed class SignatureVerifierTests
{
    private const string Secret = "test_app_secret_0123456789abcdef";
    private const string SampleSignature = "sha256=ce05bd43b721b5a9a2b056007cc5925d16deaf495f2c98ffe5e6806f0e9dd0ea";

    private static byte[] SampleBody()
    {
        var bytes = SampleFiles.Bytes("status-approved.json");
        Assert.Equal(540, bytes.Length);
        Assert.Equal((byte)'\n', bytes[^1]);
        return bytes;
    }

    private static SignatureVerifier Verifier(params string[] secrets) => new(secrets);

    [Fact]
    public void Verify_MetaTestVector_IsValid()
    {
        var body = SampleBody();

        Assert.Equal(SignatureCheck.Valid, Verifier(Secret).Verify(SampleSignature, body));
    }

    [Fact]
    public void Sign_MetaTestVector_ReproducesDocumentedHeader()
    {
        Assert.Equal(SampleSignature, SignatureVerifier.Sign(Secret, SampleBody()));
    }

    [Fact]
    public void Verify_UppercaseHex_IsValid()
    {
        var upper = "sha256=" + SampleSignature["sha256=".Length..].ToUpperInvariant();

        Assert.Equal(SignatureCheck.Valid, Verifier(Secret).Verify(upper, SampleBody()));
    }

    [Fact]
    public void Verify_MixedCaseHexAndPrefix_IsValid()
    {
        var mixed = "SHA256=CE05bd43B721b5a9a2b056007cc5925d16deaf495f2c98ffe5e6806f0e9dd0EA";

        Assert.Equal(SignatureCheck.Valid, Verifier(Secret).Verify(mixed, SampleBody()));
    }

    [Fact]
    public void Verify_SurroundingWhitespace_IsValid()
    {
        Assert.Equal(SignatureCheck.Valid, Verifier(Secret).Verify("  " + SampleSignature + " ", SampleBody()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Verify_NoHeader_IsMissing(string? header)
    {
        Assert.Equal(SignatureCheck.Missing, Verifier(Secret).Verify(header, SampleBody()));
    }

    [Theory]
    [InlineData("sha1=ce05bd43b721b5a9a2b056007cc5925d16deaf495f2c98ffe5e6806f0e9dd0ea")]
    [InlineData("ce05bd43b721b5a9a2b056007cc5925d16deaf495f2c98ffe5e6806f0e9dd0ea")]
    [InlineData("sha256:ce05bd43b721b5a9a2b056007cc5925d16deaf495f2c98ffe5e6806f0e9dd0ea")]
    [InlineData("sha512=ce05bd43b721b5a9a2b056007cc5925d16deaf495f2c98ffe5e6806f0e9dd0ea")]
    public void Verify_WrongPrefix_IsMalformed(string header)
    {
        Assert.Equal(SignatureCheck.Malformed, Verifier(Secret).Verify(header, SampleBody()));
    }

    [Theory]
    [InlineData("sha256=")]
    [InlineData("sha256=ce05bd43b721b5a9a2b056007cc5925d16deaf495f2c98ffe5e6806f0e9dd0e")]
    [InlineData("sha256=ce05bd43b721b5a9a2b056007cc5925d16deaf495f2c98ffe5e6806f0e9dd0ea0")]
    [InlineData("sha256=ce05bd43b721b5a9a2b056007cc5925d16deaf495f2c98ffe5e6806f0e9dd0eaff")]
    [InlineData("sha256=7e9f0ccf2bc1d5e1d9da8b6a6e8b3b6e")]
    public void Verify_WrongDigestLength_IsMalformed(string header)
    {
        Assert.Equal(SignatureCheck.Malformed, Verifier(Secret).Verify(header, SampleBody()));
    }

    [Theory]
    [InlineData("sha256=ge05bd43b721b5a9a2b056007cc5925d16deaf495f2c98ffe5e6806f0e9dd0ea")]
    [InlineData("sha256=ce05 d43b721b5a9a2b056007cc5925d16deaf495f2c98ffe5e6806f0e9dd0ea")]
    [InlineData("sha256=ce05bd43b721b5a9a2b056007cc5925d16deaf495f2c98ffe5e6806f0e9dd0-a")]
    [InlineData("sha256=zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    public void Verify_NonHexDigest_IsMalformed(string header)
    {
        Assert.Equal(SignatureCheck.Malformed, Verifier(Secret).Verify(header, SampleBody()));
    }

    [Fact]
    public void Verify_WrongSecret_IsMismatch()
    {
        Assert.Equal(SignatureCheck.Mismatch, Verifier("another_secret_value").Verify(SampleSignature, SampleBody()));
    }

    [Fact]
    public void Verify_SecretDifferingInCase_IsMismatch()
    {
        Assert.Equal(SignatureCheck.Mismatch, Verifier(Secret.ToUpperInvariant()).Verify(SampleSignature, SampleBody()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(539)]
    public void Verify_BodyWithOneByteChanged_IsMismatch(int index)
    {
        var body = SampleBody();
        body[index] ^= 0x01;

        Assert.Equal(SignatureCheck.Mismatch, Verifier(Secret).Verify(SampleSignature, body));
    }

    [Fact]
    public void Verify_BodyWithoutFinalNewline_IsMismatch()
    {
        var body = SampleBody();

        Assert.Equal(SignatureCheck.Mismatch, Verifier(Secret).Verify(SampleSignature, body.AsSpan(0, body.Length - 1)));
    }

    [Fact]
    public void Verify_ReserializedBody_IsMismatch()
    {
        var body = SampleBody();
        using var document = System.Text.Json.JsonDocument.Parse(body);
        var reserialized = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(document.RootElement);
        Assert.NotEqual(body.Length, reserialized.Length);

        Assert.Equal(SignatureCheck.Mismatch, Verifier(Secret).Verify(SampleSignature, reserialized));
    }

    [Fact]
    public void Verify_EscapedUnicodeBodyVersusDecoded_OnlyRawBytesMatch()
    {
        var escaped = Encoding.UTF8.GetBytes("""{"name":"caf\u00e9","url":"https:\/\/x"}""");
        var decoded = Encoding.UTF8.GetBytes("""{"name":"café","url":"https://x"}""");
        var header = SignatureVerifier.Sign(Secret, escaped);
        var verifier = Verifier(Secret);

        Assert.Equal(SignatureCheck.Valid, verifier.Verify(header, escaped));
        Assert.Equal(SignatureCheck.Mismatch, verifier.Verify(header, decoded));
    }

    [Fact]
    public void Verify_TwoSecretsDuringRotation_AcceptsEither()
    {
        var body = SampleBody();
        var verifier = Verifier("new_secret_after_rotation", Secret);

        Assert.Equal(SignatureCheck.Valid, verifier.Verify(SampleSignature, body));
        Assert.Equal(SignatureCheck.Valid, verifier.Verify(SignatureVerifier.Sign("new_secret_after_rotation", body), body));
        Assert.Equal(SignatureCheck.Mismatch, verifier.Verify(SignatureVerifier.Sign("retired_secret", body), body));
    }

    [Fact]
    public void Verify_EmptySecretBesideRealOne_IsIgnored()
    {
        var verifier = Verifier("", Secret);

        Assert.Equal(SignatureCheck.Valid, verifier.Verify(SampleSignature, SampleBody()));
        Assert.Equal(SignatureCheck.Mismatch, verifier.Verify(SignatureVerifier.Sign("", SampleBody()), SampleBody()));
    }

    [Fact]
    public void Constructor_NoSecrets_Throws()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new SignatureVerifier([]));
        Assert.Contains("Meta:AppSecrets", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_OnlyEmptySecrets_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new SignatureVerifier(["", null!]));
    }

    [Fact]
    public void Sign_AnyBody_RoundTripsThroughVerify()
    {
        var body = Encoding.UTF8.GetBytes("""{"object":"whatsapp_business_account","entry":[]}""");

        var header = SignatureVerifier.Sign("round_trip_secret", body);

        Assert.Matches("^sha256=[0-9a-f]{64}$", header);
        Assert.Equal(SignatureCheck.Valid, Verifier("round_trip_secret").Verify(header, body));
    }

    [Fact]
    public void Sign_EmptyBody_RoundTrips()
    {
        var header = SignatureVerifier.Sign(Secret, ReadOnlySpan<byte>.Empty);

        Assert.Equal(SignatureCheck.Valid, Verifier(Secret).Verify(header, ReadOnlySpan<byte>.Empty));
        Assert.Equal(SignatureCheck.Mismatch, Verifier(Secret).Verify(header, "x"u8));
    }

    [Fact]
    public void HeaderName_Constant_IsMetaSha256Header()
    {
        Assert.Equal("X-Hub-Signature-256", SignatureVerifier.HeaderName);
    }
}
