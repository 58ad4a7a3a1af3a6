using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.MinistrySubmission.Infrastructure;

namespace PBServices.MinistrySubmission.Apis;

public static class SubmissionsApi
{
    public static IEndpointRouteBuilder MapSubmissionsApi(this IEndpointRouteBuilder app)
    {
        // A submission's status is public; what the Ministry received stays the Ministry's.
        app.MapGet("/api/submissions/processes/{processId:guid}", GetSubmission).WithTags("Submissions")
            .AllowAnonymous();
        app.MapGet("/api/ministry/intake/{submissionId:guid}", GetReceived).WithTags("Ministry intake").RequireAuthorization(Roles.Ministry);
        return app;
    }

    public sealed record ReceivedSubmission(Guid SubmissionId, string Jurisdiction, Guid ProcessId, string CanonicalContent, string ContentHash, string Receipt, DateTimeOffset ReceivedAt);

    private static async Task<Ok<SubmissionView>> GetSubmission(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        return TypedResults.Ok(await uow.GetByProcessAsync(processId, ct));
    }

    private static async Task<Ok<ReceivedSubmission>> GetReceived(Guid submissionId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var row = await uow.Connection.QuerySingleOrDefaultAsync<(Guid SubmissionId, string Jurisdiction, Guid ProcessId, string CanonicalContent, string ContentHash, string Receipt, DateTime ReceivedAt)?>(uow.Command(
            "SELECT submission_id, jurisdiction, process_id, canonical_content, content_hash, receipt, received_at FROM intake_submissions WHERE submission_id = @submissionId",
            new { submissionId }, ct)) ?? throw new NotFoundException("Received submission", submissionId);
        return TypedResults.Ok(new ReceivedSubmission(row.SubmissionId, row.Jurisdiction, row.ProcessId, row.CanonicalContent, row.ContentHash, row.Receipt,
            new DateTimeOffset(row.ReceivedAt, TimeSpan.Zero)));
    }
}
