using System.Globalization;
using Grpc.Core;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Grpc.Registration;
using PBServices.Registration.Infrastructure;

namespace PBServices.Registration.Grpc;

public sealed class ProcessQueryService(UnitOfWorkFactory db) : ProcessQuery.ProcessQueryBase
{
    public override async Task<ProcessReply> GetProcess(GetProcessRequest request, ServerCallContext context)
    {
        var id = Identifiers.Parse(request.ProcessId, "process_id");
        await using var uow = await db.BeginAsync(context.CancellationToken);
        var p = await uow.GetProcessAsync(id, context.CancellationToken);
        return new ProcessReply
        {
            ProcessId = p.Id.ToString(),
            Jurisdiction = p.Jurisdiction,
            Name = p.Name,
            FiscalYear = p.FiscalYear,
            Level = p.Level.ToString(),
            Stage = p.Stage.ToString(),
            BudgetCeiling = p.BudgetCeiling.ToString(CultureInfo.InvariantCulture),
            AccreditedAgents = await uow.CountAccreditedAsync(id, context.CancellationToken),
        };
    }
}
