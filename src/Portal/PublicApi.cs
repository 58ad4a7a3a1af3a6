using System.Net;
using System.Text.Json;

namespace PBServices.Portal;

// What the public HTTP APIs answer, as this client reads them (only the fields the pages show).
public sealed record ProcessView(Guid Id, string Jurisdiction, string Name, int FiscalYear, string Level, decimal BudgetCeiling, string Stage, int AccreditedAgents,
    CalendarView? Calendar = null, RulesView? Rules = null, IReadOnlyList<string>? OpenSteps = null, DateTimeOffset? EligibleListPublishedAt = null);
public sealed record DateWindow(DateOnly From, DateOnly To);
public sealed record CalendarView(DateWindow Registration, DateWindow Publication, DateWindow Objections, DateWindow Accreditation, DateWindow Training,
    DateWindow Concertation, DateWindow Coordination, DateWindow Formalization, DateWindow Submission, DateWindow Oversight);
public sealed record QuotaView(string Body, string Group, int MinimumSeats);
public sealed record RulesView(int AgentsPerOrganisation, bool TrainingRequiredToVote, string BallotFormat, string AllocationRule,
    int OversightCommitteeSize, int DelegateSeats, int DirectiveCommitteeSeats, IReadOnlyList<QuotaView> Quotas);
public sealed record EligibleEntry(Guid AgentId, string FullName, string Role, Guid? OrganisationId, string OrganisationName, string? OrganisationType, string Status, int PendingObjections);
public sealed record EligibleListView(Guid ProcessId, DateTimeOffset PublishedAt, IReadOnlyList<EligibleEntry> Entries);
public sealed record StatisticsRow(int FiscalYear, Guid ProcessId, string Dimension, string? Value, int Registered, int Accredited);
public sealed record StatisticsView(IReadOnlyList<StatisticsRow> Rows);
/// <summary><paramref name="Cost"/> is the proposer's; <paramref name="EffectiveCost"/> the one the vote and the list use (the technical team's adjusted cost where it set one).</summary>
public sealed record ProposalView(Guid Id, string Title, decimal Cost, string Status, decimal? Score, int Version = 1, string? Recommendation = null,
    decimal? AdjustedCost = null, decimal? EffectiveCost = null);
public sealed record ProposalAssessmentView(int Version, string Recommendation, decimal Score, decimal? AdjustedCost, string Reasons);
public sealed record ProposalDetailView(Guid Id, Guid ProcessId, int Version, string Title, string Description, decimal Cost, string Location, int Beneficiaries,
    string PlanObjective, string Status, decimal EffectiveCost, ProposalAssessmentView? Assessment, string? WithdrawalReason);
public sealed record VersionAssessmentView(string Recommendation, decimal Score, decimal? AdjustedCost, string Reasons, DateTimeOffset AssessedAt);
public sealed record ProposalVersionView(int Version, string Title, string Description, decimal Cost, string Location, int Beneficiaries, string PlanObjective,
    DateTimeOffset CreatedAt, VersionAssessmentView? Assessment);
public sealed record RankedProposalView(Guid ProposalId, string Title, decimal Cost, int Scorers, decimal? WeightedTotal, int? Rank);
public sealed record CriteriaRankingView(decimal TotalWeight, string Method, IReadOnlyList<RankedProposalView> Proposals);
public sealed record WorkshopEntryView(Guid Id, string Kind, DateOnly Date, TimeOnly StartTime, string? Place, string? OnlineLink, string Mode, int Attendees, bool MinutesRecorded);
public sealed record MinutesView(int Version, string Text, string? Correction, DateTimeOffset RecordedAt);
public sealed record WorkshopView(Guid Id, Guid ProcessId, string Kind, DateOnly Date, TimeOnly StartTime, string? Place, string? OnlineLink, string Mode, string Agenda,
    int Attendees, bool MinutesRecorded, IReadOnlyList<MinutesView> Minutes);
public sealed record PaperBatchView(Guid Id, string Name, string Format, int Ballots, string Sha256, DateTimeOffset ImportedAt);
public sealed record AssessmentView(Guid ProposalId, string Status, bool? Viable, decimal? Score, string? Reasons);
public sealed record ChecklistView(string? PreInvestment, string? ViabilityNote, string? CostFinding, decimal? AdjustedCost, string? CostJustification, bool? AlignedWithPlan,
    string? AlignmentNote, string? Competence, string? Duplication, Guid? DuplicateOfProposal, string? DuplicateOfProject, string? DuplicationNote, bool Complete);
/// <summary>The technical team's assessment of one version, as the assessment service publishes it.</summary>
public sealed record VersionReviewView(int Version, string Status, string? Recommendation, decimal? Score, decimal? AdjustedCost, string? Reasons, string? Observations,
    bool Assigned, DateTimeOffset? AssignedAt, ChecklistView? Checklist, DateTimeOffset? CompletedAt);
public sealed record ListedProject(Guid ProposalId, string Title, decimal Cost, int Rank);
public sealed record PrioritizedListView(string Rule, decimal BudgetCeiling, decimal TotalCost, IReadOnlyList<ListedProject> Projects);
public sealed record CoordinatedListView(string Status, decimal BudgetCeiling, decimal TotalCost, string? ActaReference, DateTimeOffset? ApprovedAt, IReadOnlyList<ListedProject> Projects);
public sealed record CofinancingShareView(string PartyKind, string Party, Guid? ProcessId, string Contribution, decimal Amount, string? Commitment);
public sealed record CofinancingView(decimal Total, IReadOnlyList<CofinancingShareView> Shares, string AgreedBy, DateTimeOffset AgreedAt);
public sealed record ProposalCopyView(Guid ProcessId, string Location, int Beneficiaries, string PlanObjective, IReadOnlyList<string> Districts);
/// <summary>A project of a coordinated list: <paramref name="AgreedRank"/> where the agents put it (null when it came from a list below), <paramref name="Rank"/> where it stands (null off the list).</summary>
public sealed record CoordinationItemView(Guid ProposalId, string Title, decimal Cost, decimal Score, int? AgreedRank, int? Rank, string Status, Guid? MergedInto,
    string OriginJurisdiction, IReadOnlyList<string> Impact, CofinancingView? Cofinancing, ProposalCopyView? Proposal);
public sealed record AgreedProjectView(Guid ProposalId, string Title, decimal Cost, decimal Score, int Rank);
/// <summary><paramref name="Details"/> is what the decision changed, shaped by its kind (title, ranks, costs, the level it went to or came from).</summary>
public sealed record DecisionView(Guid Id, Guid? ProposalId, string Kind, JsonElement Details, string Reason, string Author, string Role, DateTimeOffset DecidedAt);
/// <summary><paramref name="Commitment"/> is what this government commits of its ceiling: its own list and its shares of co-financed projects on other lists.</summary>
public sealed record CoordinationView(Guid ProcessId, string Jurisdiction, string Level, int FiscalYear, string Status, decimal BudgetCeiling, decimal Commitment,
    IReadOnlyList<CoordinationItemView> Items, IReadOnlyList<AgreedProjectView> AgreedByAgents, IReadOnlyList<DecisionView> Decisions);
public sealed record ListBelowView(Guid ProcessId, string Jurisdiction, string Status, decimal BudgetCeiling, decimal Commitment, IReadOnlyList<CoordinationItemView> Items);
public sealed record ListsBelowView(IReadOnlyList<ListBelowView> Lists, IReadOnlyList<CoordinationItemView> EscalatedHere);
public sealed record ActaShareView(string PartyKind, string Party, string Contribution, decimal Amount, string? Commitment);
public sealed record ActaProjectView(int Rank, Guid ProposalId, string Title, decimal Cost, IReadOnlyList<ActaShareView> Cofinancing);
public sealed record ActaCommitmentView(string Party, string Project, string Contribution, decimal Amount, string? Commitment);
public sealed record CommitteeMemberView(int Seat, Guid AgentId, string FullName, string Organisation, int Votes, string? Quota);
public sealed record ActaAgentView(Guid AgentId, string FullName, string Organisation);
public sealed record ActaVoteView(int Approve, int Reject, int Abstain);
public sealed record ActaContentView(string Number, int Version, DateTimeOffset DrawnAt, ActaVoteView FinalVote, IReadOnlyList<ActaProjectView> Projects, decimal TotalCost,
    IReadOnlyList<ActaCommitmentView> Commitments, IReadOnlyList<CommitteeMemberView> Committee, IReadOnlyList<ActaAgentView> Present);
public sealed record ActaSignatureView(string Signer, string Name, string Role, bool IsAgent, int Version, DateTimeOffset SignedAt);
public sealed record ActaApprovalView(string Body, DateTimeOffset ApprovedAt);
public sealed record ActaView(string Number, int Version, string ContentHash, ActaContentView Content, IReadOnlyList<ActaSignatureView> Signatures,
    IReadOnlyList<ActaApprovalView> Approvals, bool Formalized);
public sealed record CandidateView(Guid AgentId, string FullName, string Organisation, IReadOnlyList<string> Groups, int? Votes);
public sealed record CommitteeView(string Status, int Seats, IReadOnlyList<QuotaView> Quotas, IReadOnlyList<CandidateView> Candidates, int Ballots, IReadOnlyList<CommitteeMemberView> Members);
public sealed record ProjectDecisionView(string Decision, decimal ApprovedAmount, string Reason, DateTimeOffset DecidedAt);
public sealed record SubmittedProjectView(Guid ProposalId, string Title, decimal Cost, int Rank, ProjectDecisionView? Decision);
public sealed record SubmissionView(string Status, string ContentHash, string? IntakeReceipt, decimal TotalCost, DateTimeOffset? DeliveredAt,
    string? RejectionReason, IReadOnlyList<SubmittedProjectView> Projects);
public sealed record RoundProjectView(Guid ProposalId, string Title, decimal Cost);
public sealed record RoundView(Guid Id, Guid ProcessId, string Format, decimal? BudgetLimit, int? MaxProjects, int? Points, IReadOnlyList<RoundProjectView> Projects,
    DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, int Voters)
{
    public bool IsOpen => ClosedAt is null;
}
public sealed record PublishedBallotView(string Receipt, string Channel, IReadOnlyList<Guid> Projects, IReadOnlyList<int> Points);
public sealed record ProjectResultView(Guid ProposalId, string Title, decimal Cost, decimal Score, int Supporters, string Verdict, int? Round, string Reason);
public sealed record GreedyComparisonView(IReadOnlyList<string> GreedySelected, decimal GreedySpent, int PreferThisOutcome, int PreferGreedy, int Indifferent);
public sealed record ResultView(Guid RoundId, string Rule, decimal Budget, int Ballots, int OnlineBallots, int PaperBallots, decimal Spent,
    IReadOnlyList<ProjectResultView> Projects, GreedyComparisonView? ComparedWithGreedy);

// Oversight: the formalized agreements followed into the opening budget (PIA) and through execution.
/// <summary>
/// A project's standing: <paramref name="Budgeted"/> is the PIA's amount once included (null before, or when left out with <paramref name="LeftOutReason"/>);
/// <paramref name="Committed"/> and <paramref name="Spent"/> are to date (comprometido, devengado); <paramref name="Progress"/> is the physical progress in percent.
/// </summary>
public sealed record OversightProjectView(Guid ProposalId, Guid ProcessId, int FiscalYear, int Rank, string Title, decimal AgreedCost, decimal CurrentCost, decimal? Budgeted,
    string? BudgetCode, string? LeftOutReason, decimal Committed, decimal Spent, int Progress, string Status, string Executor, string? ExecutingOrganisation, int? PostponedTo,
    int? SplitParts, bool? MinistryApproved, decimal? MinistryAmount, DateOnly? LastUpdate);
public sealed record OversightSeatView(int Seat, string FullName, string Organisation, string? Quota);
public sealed record OversightSettingsView(DateOnly BudgetDeadline, int AnswerDays, int StaleDays, DateOnly TermEnds);
public sealed record OversightProcessView(Guid ProcessId, string Jurisdiction, string Name, string Level, int FiscalYear, string? ActaReference, DateTimeOffset? FormalizedAt,
    decimal Agreed, decimal Budgeted, decimal Committed, decimal Spent, OversightSettingsView Settings, IReadOnlyList<OversightSeatView> Committee,
    IReadOnlyList<OversightProjectView> Projects);
public sealed record OversightYearView(int FiscalYear, int Projects, decimal Agreed, decimal Budgeted, decimal Committed, decimal Spent, IReadOnlyList<OversightProcessView> Processes);
public sealed record OversightReportView(string? Jurisdiction, IReadOnlyList<OversightYearView> Years);
public sealed record BudgetEntryView(bool Included, string? BudgetCode, decimal? Amount, string? Reason, DateTimeOffset RecordedAt);
public sealed record MilestoneView(Guid Id, string Kind, DateOnly Date, int Progress, decimal Committed, decimal Spent, string? OverspendReason, string? Note, DateTimeOffset RecordedAt);
public sealed record SplitPartView(string Title, decimal Cost);
public sealed record ProjectChangeView(Guid Id, string Kind, string DecidedBy, string Reason, decimal? NewCost, int? PostponedTo, IReadOnlyList<SplitPartView>? Parts,
    DateTimeOffset RecordedAt);
/// <summary>A share of the co-financing agreed in coordination, and what the party has delivered of it so far.</summary>
public sealed record DeliveredShareView(string PartyKind, string Party, string Contribution, decimal Agreed, decimal Delivered);
public sealed record ContributionView(Guid Id, string PartyKind, string Party, string Contribution, decimal Amount, DateOnly Date, string? Note);
/// <summary><paramref name="Url"/> is the document's path under the gateway.</summary>
public sealed record EvidenceView(Guid Id, Guid? MilestoneId, string Description, string ContentType, long Size, string Sha256, DateTimeOffset RecordedAt, string Url);
public sealed record MinistryDecisionView(bool Approved, decimal Amount, string Reason, DateTimeOffset DecidedAt);
public sealed record AgreedProjectDetailView(OversightProjectView Project, string? PlanObjective, decimal OwnShare, string? ExecutionAgreement, MinistryDecisionView? Ministry,
    IReadOnlyList<BudgetEntryView> Budget, IReadOnlyList<MilestoneView> Milestones, IReadOnlyList<ProjectChangeView> Changes, IReadOnlyList<DeliveredShareView> Cofinancing,
    IReadOnlyList<ContributionView> Contributions, IReadOnlyList<EvidenceView> Evidence);

/// <summary>What a receipt code finds: its ballot, or why not (unknown, malformed, or the vote still open).</summary>
public enum ReceiptLookup
{
    Found,
    NotFound,
    Malformed,
    StillOpen,
}

/// <summary>The services answered with an error, or could not be reached: the page cannot be built.</summary>
public sealed class ApiUnavailableException(string path, int status, string reason, Exception? inner = null)
    : Exception($"GET {path}: {reason}", inner)
{
    /// <summary>503 when the services are unreachable or overloaded (worth trying again soon), 502 when they answered wrongly.</summary>
    public int Status { get; } = status;
}

/// <summary>
/// The public, anonymous reads of the services, through the gateway. A missing piece (404) is a normal
/// state of a process that has not got that far, so it is null, not an error.
/// </summary>
public sealed class PublicApi(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Null when the API refuses the jurisdiction code.</summary>
    public async Task<IReadOnlyList<ProcessView>?> ProcessesAsync(string? jurisdiction, CancellationToken ct)
    {
        var path = "/api/registration/processes" + (string.IsNullOrEmpty(jurisdiction) ? "" : $"?jurisdiction={Uri.EscapeDataString(jurisdiction)}");
        var (status, list) = await GetAsync<ProcessView[]>(path, ct, HttpStatusCode.BadRequest);
        return status == HttpStatusCode.BadRequest ? null : list ?? [];
    }

    public async Task<ProcessView?> ProcessAsync(Guid id, CancellationToken ct) =>
        (await GetAsync<ProcessView>($"/api/registration/processes/{id}", ct)).Value;

    /// <summary>Empty too while deliberation has not yet learnt of a newly opened process.</summary>
    public async Task<IReadOnlyList<ProposalView>> ProposalsAsync(Guid processId, CancellationToken ct) =>
        (await GetAsync<ProposalView[]>($"/api/deliberation/processes/{processId}/proposals", ct)).Value ?? [];

    /// <summary>The proposal's current version with its assessment; null when it is not a proposal of this process.</summary>
    public async Task<ProposalDetailView?> ProposalAsync(Guid processId, Guid proposalId, CancellationToken ct) =>
        (await GetAsync<ProposalDetailView>(ProposalPath(processId, proposalId), ct)).Value;

    /// <summary>Every version of the proposal, oldest first, each with the assessment it received.</summary>
    public async Task<IReadOnlyList<ProposalVersionView>> ProposalVersionsAsync(Guid processId, Guid proposalId, CancellationToken ct) =>
        (await GetAsync<ProposalVersionView[]>($"{ProposalPath(processId, proposalId)}/versions", ct)).Value ?? [];

    /// <summary>The criteria matrix's weighted totals and ranks; null when the process has no matrix.</summary>
    public async Task<CriteriaRankingView?> CriteriaRankingAsync(Guid processId, CancellationToken ct) =>
        (await GetAsync<CriteriaRankingView>($"/api/deliberation/processes/{processId}/criteria/ranking", ct)).Value;

    /// <summary>The workshop calendar; empty too while deliberation has not yet learnt of a newly opened process.</summary>
    public async Task<IReadOnlyList<WorkshopEntryView>> WorkshopsAsync(Guid processId, CancellationToken ct) =>
        (await GetAsync<WorkshopEntryView[]>(WorkshopsPath(processId), ct)).Value ?? [];

    public async Task<WorkshopView?> WorkshopAsync(Guid processId, Guid workshopId, CancellationToken ct) =>
        (await GetAsync<WorkshopView>($"{WorkshopsPath(processId)}/{workshopId}", ct)).Value;

    /// <summary>The paper ballots an officer imported into the vote, batch by batch.</summary>
    public async Task<IReadOnlyList<PaperBatchView>> PaperBatchesAsync(Guid processId, Guid roundId, CancellationToken ct) =>
        (await GetAsync<PaperBatchView[]>($"{RoundPath(processId, roundId)}/paper-batches", ct)).Value ?? [];

    public static string ProposalPath(Guid processId, Guid proposalId) => $"/api/deliberation/processes/{processId}/proposals/{proposalId}";

    public static string WorkshopsPath(Guid processId) => $"/api/deliberation/processes/{processId}/workshops";

    public async Task<AssessmentView?> AssessmentAsync(Guid proposalId, CancellationToken ct) =>
        (await GetAsync<AssessmentView>($"/api/assessment/proposals/{proposalId}", ct)).Value;

    /// <summary>The technical team's assessment of every version, oldest first; empty while the proposal has not reached the team.</summary>
    public async Task<IReadOnlyList<VersionReviewView>> AssessmentHistoryAsync(Guid proposalId, CancellationToken ct) =>
        (await GetAsync<VersionReviewView[]>($"/api/assessment/proposals/{proposalId}/history", ct)).Value ?? [];

    public async Task<PrioritizedListView?> PrioritizedListAsync(Guid processId, CancellationToken ct) =>
        (await GetAsync<PrioritizedListView>($"/api/deliberation/processes/{processId}/prioritized-list", ct)).Value;

    public async Task<CoordinatedListView?> CoordinatedListAsync(Guid processId, CancellationToken ct) =>
        (await GetAsync<CoordinatedListView>($"/api/coordination/processes/{processId}/list", ct)).Value;

    /// <summary>The agents' list, the coordinated one and every authority decision between them; null until coordination receives the prioritised list.</summary>
    public async Task<CoordinationView?> CoordinationAsync(Guid processId, CancellationToken ct) =>
        (await GetAsync<CoordinationView>($"/api/coordination/processes/{processId}/coordination", ct)).Value;

    /// <summary>The lists one level below (a province's districts) and the projects they escalated to this one.</summary>
    public async Task<ListsBelowView?> ListsBelowAsync(Guid processId, CancellationToken ct) =>
        (await GetAsync<ListsBelowView>($"/api/coordination/processes/{processId}/lists-below", ct)).Value;
    /// <summary>Null until the process-admin draws it up.</summary>
    public async Task<ActaView?> ActaAsync(Guid processId, CancellationToken ct) =>
        (await GetAsync<ActaView>($"/api/coordination/processes/{processId}/acta", ct)).Value;

    public async Task<CommitteeView?> CommitteeAsync(Guid processId, CancellationToken ct) =>
        (await GetAsync<CommitteeView>($"/api/coordination/processes/{processId}/committee", ct)).Value;

    /// <summary>Null until the process-admin publishes it.</summary>
    public async Task<EligibleListView?> EligibleListAsync(Guid processId, CancellationToken ct) =>
        (await GetAsync<EligibleListView>($"/api/registration/processes/{processId}/eligible-list", ct)).Value;

    public async Task<StatisticsView?> ProcessStatisticsAsync(Guid processId, CancellationToken ct) =>
        (await GetAsync<StatisticsView>(ProcessStatisticsPath(processId), ct)).Value;

    /// <summary>Null when the API refuses the jurisdiction code.</summary>
    public async Task<StatisticsView?> JurisdictionStatisticsAsync(string jurisdiction, CancellationToken ct)
    {
        var (status, statistics) = await GetAsync<StatisticsView>(JurisdictionStatisticsPath(jurisdiction), ct, HttpStatusCode.BadRequest);
        return status == HttpStatusCode.BadRequest ? null : statistics ?? new StatisticsView([]);
    }

    /// <summary>Where a resident downloads the same numbers (the gateway serves the API and the portal at one address).</summary>
    public static string ProcessStatisticsPath(Guid processId) => $"/api/registration/processes/{processId}/statistics";

    public static string JurisdictionStatisticsPath(string jurisdiction) => $"/api/registration/statistics?jurisdiction={Uri.EscapeDataString(jurisdiction)}";

    public async Task<SubmissionView?> SubmissionAsync(Guid processId, CancellationToken ct) =>
        (await GetAsync<SubmissionView>($"/api/submissions/processes/{processId}", ct)).Value;

    /// <summary>A jurisdiction's formalized agreements by fiscal year, newest first; null when the API refuses the code.</summary>
    public async Task<OversightReportView?> OversightProgressAsync(string jurisdiction, CancellationToken ct)
    {
        var (status, report) = await GetAsync<OversightReportView>($"/api/oversight/progress?jurisdiction={Uri.EscapeDataString(jurisdiction)}", ct, HttpStatusCode.BadRequest);
        return status == HttpStatusCode.BadRequest ? null : report ?? new OversightReportView(jurisdiction, []);
    }

    /// <summary>Where a resident downloads the same progress, one row per project.</summary>
    public static string OversightCsvPath(string jurisdiction) => $"/api/oversight/progress.csv?jurisdiction={Uri.EscapeDataString(jurisdiction)}";

    /// <summary>Null while oversight has not learnt of the process.</summary>
    public async Task<OversightProcessView?> OversightProcessAsync(Guid processId, CancellationToken ct) =>
        (await GetAsync<OversightProcessView>($"/api/oversight/processes/{processId}", ct)).Value;

    /// <summary>Null when the proposal is not a project of a formalized list.</summary>
    public async Task<AgreedProjectDetailView?> AgreedProjectAsync(Guid proposalId, CancellationToken ct) =>
        (await GetAsync<AgreedProjectDetailView>($"/api/oversight/projects/{proposalId}", ct)).Value;

    /// <summary>The process's vote (a process has at most one), or null before the process-admin opens it.</summary>
    public async Task<RoundView?> RoundAsync(Guid processId, CancellationToken ct) =>
        (await GetAsync<RoundView[]>(RoundsPath(processId), ct)).Value?.FirstOrDefault();

    /// <summary>Null while the vote is open (the API publishes nothing of the count before it closes).</summary>
    public async Task<ResultView?> ResultAsync(Guid processId, Guid roundId, CancellationToken ct) =>
        (await GetAsync<ResultView>($"{RoundPath(processId, roundId)}/result", ct, HttpStatusCode.Conflict)).Value;

    public async Task<(ReceiptLookup Lookup, PublishedBallotView? Ballot)> ReceiptAsync(Guid processId, Guid roundId, string code, CancellationToken ct)
    {
        var (status, ballot) = await GetAsync<PublishedBallotView>($"{RoundPath(processId, roundId)}/receipts/{Uri.EscapeDataString(code)}", ct,
            HttpStatusCode.BadRequest, HttpStatusCode.Conflict);
        return status switch
        {
            HttpStatusCode.BadRequest => (ReceiptLookup.Malformed, null),
            HttpStatusCode.Conflict => (ReceiptLookup.StillOpen, null),
            HttpStatusCode.NotFound => (ReceiptLookup.NotFound, null),
            _ => (ReceiptLookup.Found, ballot),
        };
    }

    public static string RoundsPath(Guid processId) => $"/api/deliberation/processes/{processId}/rounds";

    /// <summary>The round's open data are downloaded from the API under this path (election.pb, ballots.csv, result.csv).</summary>
    public static string RoundPath(Guid processId, Guid roundId) => $"{RoundsPath(processId)}/{roundId}";

    private async Task<(HttpStatusCode Status, T? Value)> GetAsync<T>(string path, CancellationToken ct, params HttpStatusCode[] alsoExpected) where T : class
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(path, ct);
        }
        catch (HttpRequestException e)
        {
            throw new ApiUnavailableException(path, StatusCodes.Status503ServiceUnavailable, "unreachable", e);
        }
        catch (Exception e) when (e is TimeoutException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !ct.IsCancellationRequested)
        {
            throw new ApiUnavailableException(path, StatusCodes.Status503ServiceUnavailable, "timed out", e);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound || alsoExpected.Contains(response.StatusCode))
            {
                return (response.StatusCode, null);
            }
            if (!response.IsSuccessStatusCode)
            {
                var status = response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests
                    ? StatusCodes.Status503ServiceUnavailable
                    : StatusCodes.Status502BadGateway;
                throw new ApiUnavailableException(path, status, $"answered {(int)response.StatusCode}");
            }
            try
            {
                var value = await response.Content.ReadFromJsonAsync<T>(Json, ct);
                return (response.StatusCode, value ?? throw new ApiUnavailableException(path, StatusCodes.Status502BadGateway, "answered an empty body"));
            }
            catch (JsonException e)
            {
                throw new ApiUnavailableException(path, StatusCodes.Status502BadGateway, "answered something that is not the expected JSON", e);
            }
        }
    }
}
