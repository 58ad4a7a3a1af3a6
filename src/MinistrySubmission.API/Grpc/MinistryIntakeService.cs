using System.Globalization;
using System.Security.Cryptography;
using Grpc.Core;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.Grpc.Ministry;
using PBServices.MinistrySubmission.Domain;
using PBServices.MinistrySubmission.Infrastructure;

namespace PBServices.MinistrySubmission.Grpc;

/// <summary>
/// The Ministry's intake: verifies a package's hash and signature, stores it and answers with a receipt.
/// Receiving the same submission again returns the same receipt, so a sender may retry safely.
/// </summary>
// Only a deployment's submission service, acting as its jurisdiction's process-admin, submits.
[Microsoft.AspNetCore.Authorization.Authorize(Policy = Roles.ProcessAdmin)]
public sealed class MinistryIntakeService(UnitOfWorkFactory db) : MinistryIntake.MinistryIntakeBase
{
    public override async Task<SubmitReply> Submit(SubmitRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var submissionId = Identifiers.Parse(request.SubmissionId, "submission_id");
        var processId = Identifiers.Parse(request.ProcessId, "process_id");
        Guard.Jurisdiction("jurisdiction", request.Jurisdiction);
        try
        {
            using var _ = System.Text.Json.JsonDocument.Parse(request.CanonicalContent);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new DomainException("canonical_content", $"Not a JSON document: {e.Message}");
        }
        context.GetHttpContext().User.EnsureActsFor(request.Jurisdiction);
        if (SubmissionVerification.Problem(request.CanonicalContent, request.ContentHash, request.Signature, request.PublicKey) is { } problem)
        {
            throw new DomainException("signature", problem);
        }

        await using var uow = await db.BeginAsync(ct);
        var stored = await uow.RecordReceivedAsync(submissionId, request.Jurisdiction, processId, request.CanonicalContent, request.ContentHash,
            request.Signature, request.PublicKey, $"MEF-{uow.Now:yyyyMMdd}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(5))}", ct);
        if (!string.Equals(stored.ContentHash, request.ContentHash, StringComparison.OrdinalIgnoreCase))
        {
            throw new ConflictException("submission_id", "A different document was already received under this submission id");
        }
        await uow.CommitAsync(ct);
        return new SubmitReply
        {
            Receipt = stored.Receipt,
            ReceivedAt = stored.ReceivedAt.ToString("O", CultureInfo.InvariantCulture),
            Status = "Received",
        };
    }
}
