using System.Security.Claims;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.Registration.Domain;

namespace PBServices.Registration.Apis;

/// <summary>Who may act on what, beyond the role an endpoint requires.</summary>
internal static class Acting
{
    /// <summary>The first of the endpoint's roles the token carries: the one the audit entry names.</summary>
    public static Actor AsOneOf(this ClaimsPrincipal user, params string[] roles) =>
        Actor.As(user, roles.FirstOrDefault(r => user.HasClaim(PbClaims.Role, r)) ?? throw new ForbiddenException($"The token carries none of: {string.Join(", ", roles)}"));

    public static bool IsOfficerFor(this ClaimsPrincipal user, Process process) =>
        user.HasClaim(PbClaims.Role, Roles.ProcessAdmin) && user.Jurisdiction() is var j && (j == PbClaims.NationalJurisdiction || j == process.Jurisdiction);

    /// <summary>Residents and agents take part in the process of the place they act for, or of a jurisdiction containing it.</summary>
    public static void EnsureTakesPartIn(this ClaimsPrincipal user, Process process)
    {
        var own = user.Jurisdiction();
        if (own != PbClaims.NationalJurisdiction && (own.Length != 6 || !own.All(char.IsAsciiDigit) || !Ubigeo.Contains(process.Jurisdiction, own)))
        {
            throw new ForbiddenException($"The token acts for '{own}', which is not within the process's jurisdiction '{process.Jurisdiction}'");
        }
    }

    public static string Subject(this ClaimsPrincipal user) =>
        user.FindFirstValue(PbClaims.Subject) is { Length: > 0 } s ? s : throw new ForbiddenException("The token carries no subject");
}
