using System.Security.Cryptography;
using System.Text;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Security;

namespace PBServices.NationalIntake.Infrastructure;

public sealed record IssuedToken(string AccessToken, int ExpiresIn, string Jurisdiction);

/// <summary>OAuth 2.0 client credentials against the intake's own clients: its tokens, its key, its issuer.</summary>
public sealed class ClientCredentials(UnitOfWorkFactory db, TokenIssuer issuer)
{
    /// <summary>The token for a good client and its secret; null for an unknown or revoked client or a wrong secret.</summary>
    public async Task<IssuedToken?> IssueAsync(string? clientId, string? clientSecret, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(clientSecret) || clientId.Length > 64)
        {
            return null;
        }
        IntakeClient? client;
        await using (var uow = await db.BeginAsync(ct))
        {
            client = await uow.FindClientAsync(clientId, ct);
        }
        var presented = Encoding.ASCII.GetBytes(HashOf(clientSecret));
        // Compared in constant time, and also for an unknown client, so timing tells nothing about which ids exist.
        var expected = Encoding.ASCII.GetBytes(client?.SecretSha256 ?? new string('0', 64));
        if (!CryptographicOperations.FixedTimeEquals(presented, expected) || client is null || client.RevokedAt is not null)
        {
            return null;
        }
        return new IssuedToken(issuer.Issue(client.ClientId, [client.Role], client.Jurisdiction), (int)TokenIssuer.Lifetime.TotalSeconds, client.Jurisdiction);
    }

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>A secret of 32 random bytes, shown to the officer once.</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
