using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.Deliberation.Domain;
using PBServices.Deliberation.Infrastructure;

namespace PBServices.Deliberation.Apis;

public static class ParticipationApi
{
    public static IEndpointRouteBuilder MapParticipationApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/deliberation/processes/{processId:guid}/eligibility", GetEligibility)
            .Permits(Roles.Agent, Roles.ProcessAdmin)
            .WithTag("Participation", "Who may propose and vote in a process, by the accreditation, revocation and training registration reported and the prioritisation workshops attended, and why not.")
            .WithSummary("Whether an agent may propose and vote, and why not: the agent asks for themself, the process-admin for any agent (?agentId=)");
        return app;
    }

    private static async Task<Ok<Eligibility>> GetEligibility(Guid processId, Guid? agentId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var process = await uow.GetProcessAsync(processId, ct);
        user.EnsureActsFor(process.Jurisdiction);
        Guid asked;
        if (user.HasClaim(PbClaims.Role, Roles.ProcessAdmin))
        {
            asked = agentId ?? throw new DomainException("agentId", "The agent whose eligibility the office asks for");
        }
        else if (user.HasClaim(PbClaims.Role, Roles.Agent))
        {
            // An agent's token names the agent: whether others may vote is not theirs to read.
            asked = user.SubjectId();
            if (agentId is { } other && other != asked)
            {
                throw new ForbiddenException("An agent reads only their own eligibility");
            }
        }
        else
        {
            throw new ForbiddenException("Eligibility is read by the agent themself or the process-admin");
        }
        return TypedResults.Ok(Eligibility.Of(process, asked, await uow.FindParticipantAsync(asked, ct)));
    }
}
