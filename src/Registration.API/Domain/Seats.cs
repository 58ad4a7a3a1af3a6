using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;

namespace PBServices.Registration.Domain;

/// <summary>A holder of a seat, with what quotas count of them.</summary>
public sealed record SeatHolder(ParticipatingAgent Agent, OrganisationType OrganisationType);

/// <summary>The seats of one body (the delegates, or the directive committee) of a process, assigned under its quotas.</summary>
public sealed class Seats(Process process, SeatBody body, IReadOnlyList<SeatHolder> holders)
{
    /// <summary>
    /// Gives the next seat to an accredited agent unless that would leave too few seats for a quota:
    /// after this seat, the seats left must still cover every group's shortfall.
    /// </summary>
    public int Assign(SeatHolder candidate)
    {
        BuildingBlocks.Processes.StageRule.Require(process.Stage, "Assigning seats", Stage.Preparation, Stage.Concertation);
        var rules = process.RulesInForce;
        var capacity = rules.SeatsOf(body);
        if (candidate.Agent.Status != AgentStatus.Accredited)
        {
            throw new ConflictException("agentId", $"Only accredited agents take seats; this one is {candidate.Agent.Status}");
        }
        if (holders.Any(h => h.Agent.Id == candidate.Agent.Id))
        {
            throw new ConflictException("agentId", $"{candidate.Agent.FullName} already holds a seat of {body}");
        }
        if (holders.Count >= capacity)
        {
            throw new ConflictException("body", $"All {capacity} seats of {body} are assigned");
        }
        var left = capacity - holders.Count - 1;
        foreach (var quota in rules.Quotas.Where(q => q.Body == body))
        {
            var held = holders.Count(h => Counts(h, quota.Group));
            if (Counts(candidate, quota.Group))
            {
                continue;
            }
            var shortBy = quota.MinimumSeats - held - left;
            if (shortBy > 0)
            {
                throw new ConflictException("quota",
                    $"The {quota.Group} quota of {body} reserves {SeatCount(quota.MinimumSeats)}; {held} held, and {SeatCount(left)} would be left after this one: short by {shortBy}");
            }
        }
        return holders.Count + 1;
    }

    private static string SeatCount(int n) => n == 1 ? "1 seat" : $"{n} seats";

    private bool Counts(SeatHolder holder, QuotaGroup group) => holder.Agent.BelongsTo(group, process.FiscalYear, holder.OrganisationType);
}
