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
        var ct = context.CancellationToken;
        await using var uow = await db.BeginAsync(ct);
        var list = await uow.GetByProcessAsync(processId, ct);
        var inv = CultureInfo.InvariantCulture;
        var reply = new CoordinatedListReply
        {
            ListId = list.Id.ToString(), ProcessId = list.ProcessId.ToString(), Status = list.Status.ToString(), Jurisdiction = list.Jurisdiction,
            Level = list.Level.ToString(), FiscalYear = list.FiscalYear, BudgetCeiling = list.BudgetCeiling.ToString("F2", inv),
            Commitment = (await uow.GetCommitmentAsync(processId, ct)).ToString("F2", inv),
        };
        var origins = new Dictionary<Guid, string> { [list.Id] = list.Jurisdiction };
        foreach (var item in await uow.GetItemsAsync(list.Id, ct))
        {
            if (!origins.TryGetValue(item.OriginListId, out var origin))
            {
                origins[item.OriginListId] = origin = await uow.GetJurisdictionOfListAsync(item.OriginListId, ct);
            }
            reply.Projects.Add(new CoordinatedProject
            {
                ProposalId = item.ProposalId.ToString(), Title = item.Title, Cost = item.Cost.ToString("F2", inv), Rank = item.Rank ?? 0,
                Status = item.Status.ToString(), AgreedRank = item.AgreedRank ?? 0, OriginJurisdiction = origin,
            });
        }
        reply.Decisions.AddRange((await uow.GetDecisionsAsync(list.Id, ct)).Select(d => new Decision
        {
            Kind = d.Kind.ToString(), ProposalId = d.ProposalId?.ToString() ?? "", Reason = d.Reason, Author = d.Author, Role = d.Role,
            DecidedAt = d.DecidedAt.UtcDateTime.ToString("O", inv),
        }));
        return reply;
    }
}
