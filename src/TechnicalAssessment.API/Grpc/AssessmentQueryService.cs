using System.Globalization;
using Grpc.Core;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Grpc.TechnicalAssessment;
using PBServices.TechnicalAssessment.Infrastructure;

namespace PBServices.TechnicalAssessment.Grpc;

public sealed class AssessmentQueryService(UnitOfWorkFactory db) : AssessmentQuery.AssessmentQueryBase
{
    public override async Task<AssessmentReply> GetAssessment(GetAssessmentRequest request, ServerCallContext context)
    {
        var proposalId = Identifiers.Parse(request.ProposalId, "proposal_id");
        await using var uow = await db.BeginAsync(context.CancellationToken);
        var a = await uow.GetByProposalAsync(proposalId, context.CancellationToken);
        return new AssessmentReply
        {
            ProposalId = a.ProposalId.ToString(),
            Status = a.Status.ToString(),
            Viable = a.Viable ?? false,
            Score = a.Score?.ToString(CultureInfo.InvariantCulture) ?? "",
            Reasons = a.Reasons ?? "",
        };
    }
}
