using System.Globalization;
using Grpc.Core;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Security;
using PBServices.Grpc.Ministry;
using PBServices.MinistrySubmission.Infrastructure;

namespace PBServices.MinistrySubmission.Grpc;

/// <summary>Integrators' read-only view of a deployment's submissions.</summary>
public sealed class SubmissionQueryService(UnitOfWorkFactory db) : SubmissionQuery.SubmissionQueryBase
{
    public override async Task<SubmissionReply> GetSubmission(GetSubmissionRequest request, ServerCallContext context)
    {
        var processId = Identifiers.Parse(request.ProcessId, "process_id");
        await using var uow = await db.BeginAsync(context.CancellationToken);
        var s = await uow.GetByProcessAsync(processId, context.CancellationToken);
        context.GetHttpContext().User.EnsureActsFor(s.Jurisdiction);
        var reply = new SubmissionReply
        {
            SubmissionId = s.SubmissionId.ToString(),
            ProcessId = s.ProcessId.ToString(),
            Jurisdiction = s.Jurisdiction,
            Status = s.Status.ToString(),
            ContentHash = s.ContentHash,
            IntakeReceipt = s.IntakeReceipt ?? "",
            TotalCost = s.TotalCost.ToString("0.00", CultureInfo.InvariantCulture),
        };
        reply.Projects.AddRange(s.Projects.Select(p => new SubmittedProject { ProposalId = p.ProposalId.ToString(), Title = p.Title, Cost = p.Cost.ToString("0.00", CultureInfo.InvariantCulture), Rank = p.Rank }));
        return reply;
    }
}
