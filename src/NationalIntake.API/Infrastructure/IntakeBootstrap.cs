using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.NationalIntake.Domain;

namespace PBServices.NationalIntake.Infrastructure;

public sealed class ConfiguredClient
{
    public string ClientId { get; set; } = "";
    /// <summary>Hex SHA-256 of the secret: the secret itself never reaches the intake's configuration.</summary>
    public string SecretSha256 { get; set; } = "";
    public string Role { get; set; } = "";
    public string Jurisdiction { get; set; } = "";
}

public sealed class ConfiguredEnrolment
{
    public string Jurisdiction { get; set; } = "";
    /// <summary>SubjectPublicKeyInfo (DER), base64.</summary>
    public string PublicKey { get; set; } = "";
}

/// <summary>
/// Brings the clients and keys the configuration names (Intake:Clients, Intake:Enrolments) into the database at start-up, so
/// a fresh intake can be reached by the Ministry's officers and the local deployment. Starting again changes nothing.
/// Registered after the schema migrator, which runs first.
/// </summary>
public sealed class IntakeBootstrap(IConfiguration configuration, UnitOfWorkFactory db, ILogger<IntakeBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var clients = configuration.GetSection("Intake:Clients").Get<ConfiguredClient[]>() ?? [];
        var enrolments = configuration.GetSection("Intake:Enrolments").Get<ConfiguredEnrolment[]>() ?? [];
        // Startup is no user action: no trace of its own (see TraceContext).
        using var quiet = BuildingBlocks.Telemetry.TraceContext.Untraced();
        await using var uow = await db.BeginAsync(cancellationToken);
        foreach (var (c, i) in clients.Select((c, i) => (c, i)))
        {
            var at = $"Intake:Clients:{i}";
            if (!IntakeRoles.All.Contains(c.Role))
            {
                throw new InvalidOperationException($"{at}:Role must be one of {string.Join(", ", IntakeRoles.All)}");
            }
            if (c.SecretSha256.Length != 64 || !c.SecretSha256.All(char.IsAsciiHexDigit))
            {
                throw new InvalidOperationException($"{at}:SecretSha256 must be the secret's SHA-256 in hex");
            }
            await uow.UpsertClientAsync(Guard.Text($"{at}:ClientId", c.ClientId, 64), c.SecretSha256.ToLowerInvariant(), c.Role,
                Guard.Jurisdiction($"{at}:Jurisdiction", c.Jurisdiction), cancellationToken);
        }
        var system = Actor.System("national-intake", PbClaims.NationalJurisdiction);
        foreach (var (e, i) in enrolments.Select((e, i) => (e, i)))
        {
            var at = $"Intake:Enrolments:{i}";
            var jurisdiction = Guard.Jurisdiction($"{at}:Jurisdiction", e.Jurisdiction);
            var key = VerifyingKey.FromBase64(e.PublicKey, $"{at}:PublicKey");
            if (await uow.FindKeyAsync(key.KeyId, cancellationToken) is { } known)
            {
                if (known.Jurisdiction != jurisdiction || known.RetiredAt is not null || known.RevokedAt is not null)
                {
                    logger.LogWarning("{At}: key {KeyId} is not the good key for {Jurisdiction} and is not enrolled again", at, key.KeyId, jurisdiction);
                }
                continue;
            }
            var enrolment = await KeyRegistry.EnrolAsync(uow, jurisdiction, key, system, "Enrolled from the intake's configuration", cancellationToken);
            logger.LogInformation("Enrolled key {KeyId} for {Jurisdiction} from configuration", enrolment.KeyId, jurisdiction);
        }
        await uow.CommitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
