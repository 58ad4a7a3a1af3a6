namespace PBServices.EndToEnd.Tests;

// What the public HTTP APIs answer, as a client reads them.
public sealed record ProcessDto(Guid Id, string Jurisdiction, string Name, int FiscalYear, string Level, decimal BudgetCeiling, string Stage, int AccreditedAgents);
public sealed record AgentDto(Guid Id, Guid ProcessId, string FullName, string Organisation, string Status);
public sealed record ProposalDto(Guid Id, Guid ProcessId, string Title, decimal Cost, string Status, decimal? Score);
public sealed record AssessmentDto(Guid AssessmentId, Guid ProposalId, Guid ProcessId, string Title, decimal Cost, string Status, bool? Viable, decimal? Score, string? Reasons);
public sealed record ListItemDto(Guid ProposalId, string Title, decimal Cost, decimal Score, int Rank);
public sealed record PrioritizedListDto(Guid ListId, Guid ProcessId, string Rule, decimal BudgetCeiling, decimal TotalCost, List<ListItemDto> Projects);
public sealed record CoordinatedListDto(Guid ListId, Guid ProcessId, string Jurisdiction, string Status, decimal BudgetCeiling, decimal TotalCost, string? ActaReference, List<ListItemDto> Projects);
public sealed record SubmissionDto(Guid SubmissionId, Guid ProcessId, string Jurisdiction, string Status, string ContentHash, string? IntakeReceipt, decimal TotalCost, int Attempts, string? LastError, string? RejectionReason, List<SubmittedProjectDto> Projects,
    int ReportedFindings = 0);

public sealed record SubmittedProjectDto(Guid ProposalId, string Title, decimal Cost, decimal Score, int Rank, ProjectDecisionDto? Decision);

public sealed record ProjectDecisionDto(string Decision, decimal ApprovedAmount, string Reason, DateTimeOffset DecidedAt);
/// <summary>A submission as the national intake recorded it (GET /api/intake/submissions/{id}, officers).</summary>
public sealed record ReceivedSubmissionDto(ReceivedSummaryDto Submission, string ActaReference, List<ReceivedProjectDto> Projects);

public sealed record ReceivedSummaryDto(Guid SubmissionId, Guid ProcessId, string Jurisdiction, string Level, int FiscalYear, string ContentHash, string Receipt, decimal TotalCost, int Projects, int Decided);

public sealed record ReceivedProjectDto(Guid ProposalId, int Rank, string Title, decimal Cost, decimal OwnShare, string PlanObjective, string? Decision, decimal? ApprovedAmount, string? Reason);
public sealed record ProblemDto(string? Title, int Status, string? Detail, Dictionary<string, string[]>? Errors);
public sealed record OrganisationDto(Guid Id, string Name, string Type, string Territory, int ActiveMembers);
public sealed record ApplicationAgentDto(Guid Id, string Role, string FullName, string? Gender, int? BirthYear, string Status, bool IdentityConfirmed, string? Dni);
public sealed record DocumentDto(Guid Id, string Kind, string ContentType, long Size, string Sha256);
public sealed record ApplicationDto(Guid Id, Guid ProcessId, Guid OrganisationId, string OrganisationName, string Channel, string Status, string? Observations, string? CorrectBy,
    string? Reasons, List<ApplicationAgentDto> Agents, List<DocumentDto> Documents, List<string> MissingDocuments);
public sealed record ListEntryDto(Guid AgentId, string FullName, string Role, string OrganisationName, string Status, int PendingObjections);
public sealed record EligibleListDto(Guid ProcessId, DateTimeOffset PublishedAt, List<ListEntryDto> Entries);
public sealed record ObjectionDto(Guid Id, Guid AgentId, string Status, string Grounds, string? Resolution);
public sealed record StatisticsRowDto(int FiscalYear, Guid ProcessId, string Dimension, string Value, int Registered, int Accredited);
public sealed record StatisticsDto(List<StatisticsRowDto> Rows);
public sealed record ActaAgentDto(Guid AgentId, string FullName, string Organisation);
public sealed record CandidateDto(Guid AgentId, string FullName, string Organisation, string Residence, List<string> Groups, DateTimeOffset NominatedAt, int? Votes);
public sealed record CommitteeMemberDto(int Seat, Guid AgentId, string FullName, string Organisation, int Votes, string? Quota);
public sealed record CommitteeDto(Guid ProcessId, string Status, int Seats, List<System.Text.Json.JsonElement> Quotas, List<CandidateDto> Candidates, int Ballots,
    List<CommitteeMemberDto> Members, DateTimeOffset? ClosedAt);
public sealed record SignatureDto(string Signer, string Name, string Role, bool IsAgent, int Version, string ContentHash, DateTimeOffset SignedAt);
public sealed record ApprovalDto(string Body, string ApprovedBy, DateTimeOffset ApprovedAt);
public sealed record ActaDto(Guid ProcessId, string Number, int Version, string ContentHash, string CanonicalContent, System.Text.Json.JsonElement Content,
    List<SignatureDto> Signatures, List<ApprovalDto> Approvals, bool Formalized);
