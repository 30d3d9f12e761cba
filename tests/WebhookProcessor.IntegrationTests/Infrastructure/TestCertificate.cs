using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WebhookProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A self-signed server certificate for 127.0.0.1 and localhost, written as PEM files for a test server
/// (MailDev's --incoming-cert / --incoming-key), and a validation callback that trusts this certificate
/// and nothing else: the chain is rebuilt with it as the only root, and a name mismatch still fails. The
/// machine's trust store is never touched, so no other process or test trusts it.
/// </summary>
public sealed class TestCertificate : IDisposable
{
    private int _presented;

    private TestCertificate(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        Certificate = certificate;
        CertificatePath = certificatePath;
        KeyPath = keyPath;
    }

    public X509Certificate2 Certificate { get; }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    /// <summary>How many TLS handshakes presented this certificate to <see cref="Validate"/>.</summary>
    public int Presented => Volatile.Read(ref _presented);

    public static TestCertificate Create(TempFolder folder)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = TimeProvider.System.GetUtcNow();
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        var certificatePath = folder.File("smtp-cert.pem");
        var keyPath = folder.File("smtp-key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new TestCertificate(certificate, certificatePath, keyPath);
    }

    /// <summary>Accepts the server's certificate only when it is this one, valid, and named for the host dialled.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (presented.Thumbprint == Certificate.Thumbprint)
        {
            Interlocked.Increment(ref _presented);
        }

        using var ownChain = new X509Chain();
        ownChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        ownChain.ChainPolicy.CustomTrustStore.Add(Certificate);
        ownChain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return ownChain.Build(presented);
    }

    public void Dispose() => Certificate.Dispose();
}
