using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Security;
using PBServices.MinistrySubmission.Infrastructure;

namespace PBServices.MinistrySubmission.Apis;

public static class SubmissionsApi
{
    public static IEndpointRouteBuilder MapSubmissionsApi(this IEndpointRouteBuilder app)
    {
        // A submission's status is public; what the Ministry received stays the Ministry's.
        app.MapGet("/api/submissions/processes/{processId:guid}", GetSubmission)
            .AllowAnonymous()
            .WithTag("Submissions", "What this deployment submitted to the Ministry for each formalized list, and how its delivery went.")
            .WithSummary("Get the submission of a process: delivery status, content hash, the Ministry's receipt and the projects submitted");
        app.MapGet("/api/ministry/intake/{submissionId:guid}", GetReceived).RequireAuthorization(Roles.Ministry)
            .WithTag("Ministry intake", "The Ministry's side: submissions as its intake received and verified them.")
            .WithName("GetReceivedSubmission")
            .WithSummary("Get a submission as the Ministry's intake received it: canonical content, hash and receipt");
        return app;
    }

    private static async Task<Ok<SubmissionView>> GetSubmission(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        return TypedResults.Ok(await uow.GetByProcessAsync(processId, ct));
    }

    private static async Task<Ok<ReceivedSubmission>> GetReceived(Guid submissionId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        return TypedResults.Ok(await uow.GetReceivedAsync(submissionId, ct));
    }
}
