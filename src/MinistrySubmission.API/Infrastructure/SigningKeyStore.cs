using System.Security.Cryptography;
using Dapper;
using PBServices.BuildingBlocks.Data;

namespace PBServices.MinistrySubmission.Infrastructure;

/// <summary>
/// The deployment's submission signing key: from configuration (Submission:SigningKeyPkcs8, base64) when an
/// operator provides one, else created once and kept in the service's database so every replica signs alike.
/// </summary>
public sealed class SigningKeyStore(IConfiguration configuration)
{
    public async Task<ECDsa> GetAsync(UnitOfWork uow, CancellationToken ct)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (configuration["Submission:SigningKeyPkcs8"] is { Length: > 0 } configured)
        {
            key.ImportPkcs8PrivateKey(Convert.FromBase64String(configured), out _);
            return key;
        }
        await uow.Connection.ExecuteAsync(uow.Command(
            "INSERT INTO signing_keys (id, pkcs8, created_at) VALUES (1, @pkcs8, @now) ON CONFLICT (id) DO NOTHING",
            new { pkcs8 = key.ExportPkcs8PrivateKey(), now = uow.Now }, ct));
        var stored = await uow.Connection.QuerySingleAsync<byte[]>(uow.Command("SELECT pkcs8 FROM signing_keys WHERE id = 1", ct: ct));
        key.ImportPkcs8PrivateKey(stored, out _);
        return key;
    }
}
