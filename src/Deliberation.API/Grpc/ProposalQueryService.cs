using System.Globalization;
using Grpc.Core;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Deliberation.Infrastructure;
using PBServices.Grpc.Deliberation;

namespace PBServices.Deliberation.Grpc;

public sealed class ProposalQueryService(UnitOfWorkFactory db) : ProposalQuery.ProposalQueryBase
{
    public override async Task<ListProposalsReply> ListProposals(ListProposalsRequest request, ServerCallContext context)
    {
        var processId = Identifiers.Parse(request.ProcessId, "process_id");
        await using var uow = await db.BeginAsync(context.CancellationToken);
        await uow.GetProcessAsync(processId, context.CancellationToken);
        var reply = new ListProposalsReply();
        foreach (var p in await uow.GetProposalsAsync(processId, context.CancellationToken))
        {
            reply.Proposals.Add(new ProposalItem
            {
                ProposalId = p.Id.ToString(),
                Title = p.Title,
                Cost = p.Cost.ToString(CultureInfo.InvariantCulture),
                Status = p.Status.ToString(),
                Score = p.Score?.ToString(CultureInfo.InvariantCulture) ?? "",
            });
        }
        return reply;
    }
}
