using System.Globalization;
using Grpc.Core;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Grpc.Oversight;
using PBServices.Oversight.Apis;
using PBServices.Oversight.Infrastructure;

namespace PBServices.Oversight.Grpc;

/// <summary>The public progress for integrators: the same figures as the JSON, the CSV and the portal page.</summary>
public sealed class ProgressQueryService(UnitOfWorkFactory db) : ProgressQuery.ProgressQueryBase
{
    public override async Task<ProcessProgressReply> GetProcessProgress(GetProcessProgressRequest request, ServerCallContext context)
    {
        var processId = Identifiers.Parse(request.ProcessId, "process_id");
        var ct = context.CancellationToken;
        await using var uow = await db.BeginReadAsync(ct);
        var progress = ProgressApi.ToProgress(await uow.GetProcessAsync(processId, ct), await uow.GetProjectsOfAsync([processId], ct));
        var reply = new ProcessProgressReply
        {
            ProcessId = progress.ProcessId.ToString(), Jurisdiction = progress.Jurisdiction, Name = progress.Name, FiscalYear = progress.FiscalYear,
            ActaReference = progress.ActaReference ?? "", Agreed = Soles(progress.Agreed), Budgeted = Soles(progress.Budgeted), Committed = Soles(progress.Committed),
            Spent = Soles(progress.Spent),
        };
        reply.Projects.AddRange(progress.Projects.Select(ToMessage));
        return reply;
    }

    public override async Task ListProjects(ListProjectsRequest request, IServerStreamWriter<ProjectProgress> responseStream, ServerCallContext context)
    {
        if (request.Jurisdiction is not { Length: 6 })
        {
            throw new DomainException("jurisdiction", "A six-digit ubigeo");
        }
        var report = await ProgressApi.ReportAsync(request.Jurisdiction, request.FiscalYear == 0 ? null : request.FiscalYear, db, context.CancellationToken);
        foreach (var project in report.Years.SelectMany(y => y.Processes).SelectMany(p => p.Projects))
        {
            await responseStream.WriteAsync(ToMessage(project), context.CancellationToken);
        }
    }

    private static ProjectProgress ToMessage(ProgressApi.ProjectSummary p) => new()
    {
        ProposalId = p.ProposalId.ToString(), ProcessId = p.ProcessId.ToString(), FiscalYear = p.FiscalYear, Rank = p.Rank, Title = p.Title,
        AgreedCost = Soles(p.AgreedCost), CurrentCost = Soles(p.CurrentCost), Budgeted = p.Budgeted is { } b ? Soles(b) : "", BudgetCode = p.BudgetCode ?? "",
        Committed = Soles(p.Committed), Spent = Soles(p.Spent), Progress = p.Progress, Status = p.Status.ToString(),
        Executor = p.ExecutingOrganisation ?? p.Executor.ToString(),
    };

    private static string Soles(decimal amount) => amount.ToString("F2", CultureInfo.InvariantCulture);
}
