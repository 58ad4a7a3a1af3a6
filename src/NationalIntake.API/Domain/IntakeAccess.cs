using System.Security.Claims;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.Contracts;

namespace PBServices.NationalIntake.Domain;

/// <summary>The intake's roles: the Ministry's officers and systems, the deployments it enrolled, and read-only integrators.</summary>
public static class IntakeRoles
{
    public const string Ministry = Roles.Ministry;
    /// <summary>An enrolled deployment's client: submits its jurisdiction's packages and reads the decisions on them.</summary>
    public const string Deployment = "deployment";
    public const string Integrator = Roles.Integrator;

    /// <summary>The roles an officer may give a client; ministry clients come only from configuration.</summary>
    public static readonly IReadOnlyList<string> Enrollable = [Deployment, Integrator];

    public static readonly IReadOnlyList<string> All = [Ministry, Deployment, Integrator];

    /// <summary>Who reads the intake's records: every role, each within its jurisdiction.</summary>
    public const string Reader = "intake-reader";
}

/// <summary>
/// The intake's jurisdiction rule: a token or key for a region covers its provinces and districts, a province its
/// districts, "PE" everything. Unlike a regional deployment (exact match), the Ministry enrols a region's deployment
/// for all the governments it serves.
/// </summary>
public static class IntakeJurisdiction
{
    public static bool Covers(string own, string jurisdiction) =>
        own == PbClaims.NationalJurisdiction || (jurisdiction.Length == 6 && own.Length == 6 && Jurisdictions.Contains(own, jurisdiction));

    /// <summary>The caller's jurisdiction, refused when it does not cover <paramref name="jurisdiction"/>.</summary>
    public static void EnsureCovers(this ClaimsPrincipal user, string jurisdiction)
    {
        var own = user.Jurisdiction();
        if (!Covers(own, jurisdiction))
        {
            throw new ForbiddenException($"The token acts for jurisdiction '{own}', which does not include '{jurisdiction}'");
        }
    }

    /// <summary>The region a ubigeo lies in, as the aggregate groups it.</summary>
    public static string RegionOf(string code) => code.Length == 6 ? code[..2] + "0000" : code;
}
