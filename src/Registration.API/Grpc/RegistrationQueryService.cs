using System.Globalization;
using Grpc.Core;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.Grpc.Registration;
using PBServices.Registration.Domain;
using PBServices.Registration.Infrastructure;

namespace PBServices.Registration.Grpc;

public sealed class RegistrationQueryService(UnitOfWorkFactory db) : RegistrationQuery.RegistrationQueryBase
{
    public override async Task<ProcessReply> GetProcess(GetProcessRequest request, ServerCallContext context)
    {
        var id = Identifiers.Parse(request.ProcessId, "process_id");
        await using var uow = await db.BeginAsync(context.CancellationToken);
        var p = await uow.GetProcessAsync(id, context.CancellationToken);
        var reply = new ProcessReply
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
        reply.OpenSteps.AddRange(p.OpenSteps(Domain.Calendar.Today(uow.Now)).Select(s => s.ToString()));
        if (p.Calendar is { } calendarOfProcess)
        {
            reply.Calendar.AddRange(calendarOfProcess.InOrder().Select(w => new CalendarWindow { Name = w.Name, From = Day(w.Window.From), To = Day(w.Window.To) }));
        }
        if (p.Rules is { } rules)
        {
            reply.Rules = new ProcessRules
            {
                AgentsPerOrganisation = rules.AgentsPerOrganisation,
                TrainingRequiredToVote = rules.TrainingRequiredToVote,
                BallotFormat = rules.BallotFormat.ToString(),
                AllocationRule = rules.AllocationRule,
                OversightCommitteeSize = rules.OversightCommitteeSize,
                DelegateSeats = rules.DelegateSeats,
                DirectiveCommitteeSeats = rules.DirectiveCommitteeSeats,
                PrioritisationWorkshopRequiredToVote = rules.PrioritisationWorkshopRequiredToVote,
            };
            reply.Rules.Quotas.AddRange(rules.Quotas.Select(q => new Quota { Body = q.Body.ToString(), Group = q.Group.ToString(), MinimumSeats = q.MinimumSeats }));
        }
        return reply;
    }

    public override async Task<IsAccreditedReply> IsAccredited(IsAccreditedRequest request, ServerCallContext context)
    {
        var processId = Identifiers.Parse(request.ProcessId, "process_id");
        var agentId = Identifiers.Parse(request.AgentId, "agent_id");
        await using var uow = await db.BeginAsync(context.CancellationToken);
        var agent = await uow.GetAgentAsync(processId, agentId, context.CancellationToken);
        return new IsAccreditedReply
        {
            Accredited = agent.Status == AgentStatus.Accredited,
            Status = agent.Status.ToString(),
            Trained = await uow.HasTrainedAsync(agentId, context.CancellationToken),
        };
    }

    public override async Task<CountsReply> GetCounts(GetCountsRequest request, ServerCallContext context)
    {
        var processId = Identifiers.Parse(request.ProcessId, "process_id");
        await using var uow = await db.BeginAsync(context.CancellationToken);
        await uow.GetProcessAsync(processId, context.CancellationToken);
        var c = await uow.CountAgentsAsync(processId, context.CancellationToken);
        return new CountsReply
        {
            Registered = c.Registered,
            Eligible = c.Eligible,
            Rejected = c.Rejected,
            Excluded = c.Excluded,
            Accredited = c.Accredited,
            Revoked = c.Revoked,
            PendingObjections = c.PendingObjections,
            Trained = c.Trained,
        };
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
