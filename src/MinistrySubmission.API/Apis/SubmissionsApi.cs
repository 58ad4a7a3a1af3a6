using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.OpenApi;
using PBServices.BuildingBlocks.Security;
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
            .WithSummary("Get the submission of a process: delivery status, content hash, the Ministry's receipt or reasons, each project with the Ministry's decision, and how many escalated findings its oversight report carries");
        app.MapPost("/api/submissions/processes/{processId:guid}/redelivery", Redeliver)
            .RequireAuthorization(Roles.ProcessAdmin)
            .WithTag("Submissions", "What this deployment submitted to the Ministry for each formalized list, how its delivery went, and the Ministry's decisions.")
            .WithSummary("Send a refused package again, once what the intake named is put right (the key enrolled, the credentials fixed): the same document, signed anew")
            .Refuses(StatusCodes.Status409Conflict, "The submission was not refused: it is pending or delivered.");
        return app;
    }

    public sealed record RedeliveryRequest(string? Reason);

    private static async Task<Ok<SubmissionView>> Redeliver(Guid processId, RedeliveryRequest request, ClaimsPrincipal user, UnitOfWorkFactory db,
        SubmissionDeliverySignal delivery, CancellationToken ct)
    {
        var reason = Guard.Text("reason", request.Reason, 500);
        await using var uow = await db.BeginAsync(ct);
        var current = await uow.GetByProcessAsync(processId, ct);
        user.EnsureActsFor(current.Jurisdiction);
        // Only a refused package goes back to Pending; the update's condition holds this under concurrent requests too.
        if (!await uow.ReturnToPendingAsync(current.SubmissionId, ct))
        {
            throw new ConflictException("processId", $"The submission is {current.Status}: only a package the intake refused is sent again");
        }
        uow.Audit(Actor.As(user, Roles.ProcessAdmin), "submission.redelivery", processId, current.SubmissionId.ToString(),
            new { previousStatus = current.Status, refusal = current.RejectionReason }, reason);
        uow.AfterCommit(delivery.Notify);
        await uow.CommitAsync(ct);
        await using var read = await db.BeginAsync(ct);
        return TypedResults.Ok(await read.GetByProcessAsync(processId, ct));
    }

    private static async Task<Ok<SubmissionView>> GetSubmission(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        return TypedResults.Ok(await uow.GetByProcessAsync(processId, ct));
    }
}
