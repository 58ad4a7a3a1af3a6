using System.Globalization;
using Grpc.Core;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Coordination.Infrastructure;
using PBServices.Grpc.Coordination;

namespace PBServices.Coordination.Grpc;

public sealed class CoordinationQueryService(UnitOfWorkFactory db) : CoordinationQuery.CoordinationQueryBase
{
    public override async Task<CoordinatedListReply> GetList(GetListRequest request, ServerCallContext context)
    {
        var processId = Identifiers.Parse(request.ProcessId, "process_id");
        await using var uow = await db.BeginAsync(context.CancellationToken);
        var list = await uow.GetByProcessAsync(processId, context.CancellationToken);
        var reply = new CoordinatedListReply { ListId = list.Id.ToString(), ProcessId = list.ProcessId.ToString(), Status = list.Status.ToString() };
        reply.Projects.AddRange(list.Projects.Select(p => new CoordinatedProject
        {
            ProposalId = p.ProposalId.ToString(),
            Title = p.Title,
            Cost = p.Cost.ToString(CultureInfo.InvariantCulture),
            Rank = p.Rank,
        }));
        return reply;
    }
}
