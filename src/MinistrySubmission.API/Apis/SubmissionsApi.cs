using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Data;
using PBServices.MinistrySubmission.Infrastructure;

namespace PBServices.MinistrySubmission.Apis;

public static class SubmissionsApi
{
    public static IEndpointRouteBuilder MapSubmissionsApi(this IEndpointRouteBuilder app)
    {
        // A submission's status and the Ministry's decisions on it are public.
        app.MapGet("/api/submissions/processes/{processId:guid}", GetSubmission)
            .AllowAnonymous()
            .WithTag("Submissions", "What this deployment submitted to the Ministry for each formalized list, how its delivery went, and the Ministry's decisions.")
            .WithSummary("Get the submission of a process: delivery status, content hash, the Ministry's receipt or reasons, and each project with the Ministry's decision");
        return app;
    }

    private static async Task<Ok<SubmissionView>> GetSubmission(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        return TypedResults.Ok(await uow.GetByProcessAsync(processId, ct));
    }
}
