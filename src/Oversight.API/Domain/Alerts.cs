using System.Text.Json.Serialization;
using PBServices.Contracts;

namespace PBServices.Oversight.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<AlertKind>))]
public enum AlertKind
{
    /// <summary>Past the budget deadline and not in the opening budget (never recorded, or left out).</summary>
    NotInBudget,
    /// <summary>In the budget but with nothing recorded for longer than the process allows.</summary>
    NoProgress,
    /// <summary>A finding the government has not answered by its due date.</summary>
    AnswerOverdue,
}

public sealed record Alert(AlertKind Kind, Guid? ProposalId, Guid? FindingId, string Subject, string Detail, DateOnly Since);

/// <summary>What is overdue in a process today (Peru's day at <c>now</c>), for the committee and the process-admin.</summary>
public static class Alerts
{
    public static IReadOnlyList<Alert> For(OversightProcess process, IReadOnlyList<AgreedProject> projects, IReadOnlyList<Finding> findings, DateTimeOffset now)
    {
        var today = DateWindow.DayInPeru(now);
        var alerts = new List<Alert>();
        if (!process.Formalized)
        {
            return alerts;
        }
        foreach (var p in projects.OrderBy(p => p.Rank))
        {
            if (p.PostponedTo is not null || p.Status is ProjectStatus.Completed or ProjectStatus.HandedOver)
            {
                continue;
            }
            if (!p.InBudget)
            {
                if (today > process.Settings.BudgetDeadline)
                {
                    var detail = p.CurrentBudget is { Included: false, Reason: var reason }
                        ? $"Left out of the opening budget: {reason}"
                        : $"Not recorded in the opening budget, due by {process.Settings.BudgetDeadline:yyyy-MM-dd}";
                    alerts.Add(new Alert(AlertKind.NotInBudget, p.ProposalId, null, p.Title, detail, process.Settings.BudgetDeadline.AddDays(1)));
                }
                continue;
            }
            var last = p.LastActivity(process.FormalizedOn);
            var staleFrom = last.AddDays(process.Settings.StaleDays);
            if (today > staleFrom)
            {
                alerts.Add(new Alert(AlertKind.NoProgress, p.ProposalId, null, p.Title,
                    $"Nothing recorded since {last:yyyy-MM-dd} ({today.DayNumber - last.DayNumber} days; the process allows {process.Settings.StaleDays})", staleFrom.AddDays(1)));
            }
        }
        foreach (var f in findings.Where(f => f.Overdue(now)).OrderBy(f => f.AnswerDue))
        {
            alerts.Add(new Alert(AlertKind.AnswerOverdue, f.ProposalId, f.Id, f.Kind.ToString(), $"Unanswered since it was due on {f.AnswerDue:yyyy-MM-dd HH:mm} UTC",
                DateWindow.DayInPeru(f.AnswerDue)));
        }
        return alerts;
    }
}
