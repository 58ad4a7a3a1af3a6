using System.Security.Claims;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.Oversight.Domain;

namespace PBServices.Oversight.Apis;

/// <summary>Who acts on a process's oversight: the government side records, the elected committee watches, the council reads.</summary>
internal static class Access
{
    /// <summary>The endpoints' policy for what the committee, the government side and the council read of a process.</summary>
    public const string Reader = "oversight-reader";

    /// <summary>The government side: the PB office (process-admin) acting for the process's jurisdiction.</summary>
    public static Actor Government(ClaimsPrincipal user, OversightProcess process)
    {
        var actor = Actor.As(user, Roles.ProcessAdmin);
        user.EnsureActsFor(process.Jurisdiction);
        return actor;
    }

    /// <summary>A member of the process's elected committee, within the term.</summary>
    public static (Actor Actor, CommitteeMember Member) Committee(ClaimsPrincipal user, OversightProcess process, DateTimeOffset now)
    {
        var actor = Actor.As(user, Roles.Oversight);
        user.EnsureActsFor(process.Jurisdiction);
        return (actor, process.RequireMember(user.SubjectId(), now));
    }

    /// <summary>The committee (its members, within the term), the government side and the council of the jurisdiction.</summary>
    public static void EnsureReads(ClaimsPrincipal user, OversightProcess process, DateTimeOffset now)
    {
        user.EnsureActsFor(process.Jurisdiction);
        if (user.HasClaim(PbClaims.Role, Roles.ProcessAdmin) || user.HasClaim(PbClaims.Role, Roles.Council))
        {
            return;
        }
        if (user.HasClaim(PbClaims.Role, Roles.Oversight))
        {
            process.RequireMember(user.SubjectId(), now);
            return;
        }
        throw new ForbiddenException("The oversight committee, the process-admin and the council read this");
    }
}
