using System.Collections.Concurrent;
using Npgsql;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.NationalIntake.Domain;

namespace PBServices.NationalIntake.Infrastructure;

public sealed record Enrolment(string KeyId, string Jurisdiction, DateTimeOffset EnrolledAt, string? RetiredKeyId);

/// <summary>
/// The enrolled keys. A key's standing (retired, revoked) is read from the database on every use, so every replica
/// refuses a revoked key at once; only the parsed public key is cached, and it never changes under its id (the id is its hash).
/// </summary>
public sealed class KeyRegistry
{
    private readonly ConcurrentDictionary<string, VerifyingKey> _parsed = new(StringComparer.Ordinal);

    public async Task<EnrolledKey?> FindAsync(UnitOfWork uow, string keyId, CancellationToken ct)
    {
        if (keyId.Length != 64)
        {
            return null;
        }
        var stored = await uow.FindKeyAsync(keyId.ToLowerInvariant(), ct);
        if (stored is null)
        {
            return null;
        }
        var key = _parsed.GetOrAdd(stored.KeyId, _ => VerifyingKey.Import(stored.PublicKey, "public_key"));
        return new EnrolledKey(stored.KeyId, stored.Jurisdiction, key, stored.EnrolledAt, stored.RetiredAt, stored.RevokedAt);
    }

    /// <summary>
    /// Enrols <paramref name="key"/> for <paramref name="jurisdiction"/>; the key good until now, if any, is retired at the same
    /// moment, in the same transaction (the database keeps one good key per jurisdiction).
    /// </summary>
    public static async Task<Enrolment> EnrolAsync(UnitOfWork uow, string jurisdiction, VerifyingKey key, Actor actor, string reason, CancellationToken ct)
    {
        if (await uow.FindKeyAsync(key.KeyId, ct) is { } existing)
        {
            throw new ConflictException("publicKey", existing.RevokedAt is not null || existing.RetiredAt is not null
                ? $"This key ({key.KeyId}) was enrolled before and is no longer good; a retired or revoked key is never enrolled again"
                : $"This key ({key.KeyId}) is already enrolled for '{existing.Jurisdiction}'");
        }
        var retired = await uow.LockActiveKeyAsync(jurisdiction, ct);
        if (retired is not null)
        {
            await uow.RetireKeyAsync(retired, ct);
        }
        try
        {
            await uow.InsertKeyAsync(key.KeyId, jurisdiction, key.Spki, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ConflictException("jurisdiction", $"Another key was enrolled for '{jurisdiction}' at the same time; list the keys and try again");
        }
        uow.Audit(actor, "KeyEnrolled", null, key.KeyId, new { keyId = key.KeyId, jurisdiction, retiredKeyId = retired }, reason);
        return new Enrolment(key.KeyId, jurisdiction, uow.Now, retired);
    }
}
