using PBServices.BuildingBlocks.Errors;

namespace PBServices.Registration.Domain;

/// <summary>Who confirmed a person's identity against their DNI, how and when.</summary>
public sealed record IdentityConfirmation(string ConfirmedBy, IdentityMethod Method, DateTimeOffset At);

/// <summary>
/// Confirms that a person is who their DNI says. There is no access to RENIEC here, so the deployment's
/// check is an officer's; one holding a registry agreement can plug a lookup in behind this interface.
/// </summary>
public interface IIdentityCheck
{
    Task<IdentityConfirmation> ConfirmAsync(ParticipatingAgent person, string? method, string officer, DateTimeOffset now, CancellationToken ct);
}

/// <summary>The officer compared the person with the DNI card, at the desk or scanned online; their word is the confirmation.</summary>
public sealed class OfficerCardCheck : IIdentityCheck
{
    public Task<IdentityConfirmation> ConfirmAsync(ParticipatingAgent person, string? method, string officer, DateTimeOffset now, CancellationToken ct)
    {
        if (!Contracts.Stages.TryParseName<IdentityMethod>(method, out var how))
        {
            throw new DomainException("method", "DeskCard (the card seen at the desk) or ScannedCard (the scan uploaded online)");
        }
        return Task.FromResult(new IdentityConfirmation(officer, how, now));
    }
}
