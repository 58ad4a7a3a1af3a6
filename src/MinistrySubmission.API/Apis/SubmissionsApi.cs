using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Security;
using PBServices.MinistrySubmission.Infrastructure;

namespace PBServices.MinistrySubmission.Apis;

public static class SubmissionsApi
{
    public static IEndpointRouteBuilder MapSubmissionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/submissions/processes/{processId:guid}", GetSubmission).WithTags("Submissions");
        app.MapGet("/api/ministry/intake/{submissionId:guid}", GetReceived).WithTags("Ministry intake").RequireAuthorization(Roles.Ministry);
        return app;
    }

    private static async Task<Ok<SubmissionView>> GetSubmission(Guid processId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var s = await uow.GetByProcessAsync(processId, ct);
        user.EnsureActsFor(s.Jurisdiction);
        return TypedResults.Ok(s);
    }

    private static async Task<Ok<ReceivedSubmission>> GetReceived(Guid submissionId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        return TypedResults.Ok(await uow.GetReceivedAsync(submissionId, ct));
    }
}
