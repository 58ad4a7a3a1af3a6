using System.Security.Cryptography;
using PBServices.BuildingBlocks.Errors;

namespace PBServices.NationalIntake.Domain;

/// <summary>A jurisdiction's public signing key as the Ministry enrolled it, with when it stopped being good.</summary>
public sealed record EnrolledKey(string KeyId, string Jurisdiction, VerifyingKey PublicKey, DateTimeOffset EnrolledAt, DateTimeOffset? RetiredAt,
    DateTimeOffset? RevokedAt);

/// <summary>
/// An ECDSA P-256 public key, imported once: the intake verifies every package with it, so importing per package
/// would cost more than the verification.
/// </summary>
public sealed class VerifyingKey : IDisposable
{
    private readonly ECDsa _key;
    // One OpenSSL key object is shared by concurrent requests; the lock keeps its use serial (a verify takes ~100 µs).
    private readonly Lock _lock = new();

    private VerifyingKey(ECDsa key, byte[] spki)
    {
        _key = key;
        Spki = spki;
        KeyId = Convert.ToHexStringLower(SHA256.HashData(spki));
    }

    public byte[] Spki { get; }

    /// <summary>SHA-256 (hex) of the SubjectPublicKeyInfo: what a package's key_id names.</summary>
    public string KeyId { get; }

    /// <summary>Reads an SPKI (DER); anything but a P-256 key is refused, named by <paramref name="field"/>.</summary>
    public static VerifyingKey Import(byte[] spki, string field)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(spki, out var read);
            if (read != spki.Length)
            {
                throw new DomainException(field, "Trailing bytes after the SubjectPublicKeyInfo");
            }
            if (key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new DomainException(field, "Must be an ECDSA P-256 (prime256v1) public key");
            }
            return new VerifyingKey(key, spki);
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new DomainException(field, $"Not an ECDSA public key (SubjectPublicKeyInfo, DER): {e.Message}");
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Reads the base64 an officer or the configuration gives.</summary>
    public static VerifyingKey FromBase64(string? base64, string field)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            throw new DomainException(field, "Required: the SubjectPublicKeyInfo (DER), base64");
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new DomainException(field, "Not base64");
        }
        return Import(bytes, field);
    }

    /// <summary>Whether <paramref name="signature"/> (IEEE P1363) is this key's over <paramref name="hash"/>.</summary>
    public bool Verify(byte[] hash, byte[] signature)
    {
        lock (_lock)
        {
            return _key.VerifyHash(hash, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }

    public void Dispose() => _key.Dispose();
}
