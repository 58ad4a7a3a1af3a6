namespace PBServices.EndToEnd.Tests;

// What the public HTTP APIs answer, as a client reads them.
public sealed record ProcessDto(Guid Id, string Jurisdiction, string Name, int FiscalYear, string Level, decimal BudgetCeiling, string Stage, int AccreditedAgents);
public sealed record AgentDto(Guid Id, Guid ProcessId, string FullName, string Organisation, string Status);
public sealed record ProposalDto(Guid Id, Guid ProcessId, string Title, decimal Cost, string Status, decimal? Score);
public sealed record AssessmentDto(Guid AssessmentId, Guid ProposalId, Guid ProcessId, string Title, decimal Cost, string Status, bool? Viable, decimal? Score, string? Reasons);
public sealed record ListItemDto(Guid ProposalId, string Title, decimal Cost, decimal Score, int Rank);
public sealed record PrioritizedListDto(Guid ListId, Guid ProcessId, string Rule, decimal BudgetCeiling, decimal TotalCost, List<ListItemDto> Projects);
public sealed record CoordinatedListDto(Guid ListId, Guid ProcessId, string Jurisdiction, string Status, decimal BudgetCeiling, decimal TotalCost, string? ActaReference, List<ListItemDto> Projects);
public sealed record SubmissionDto(Guid SubmissionId, Guid ProcessId, string Jurisdiction, string Status, string ContentHash, string? IntakeReceipt, decimal TotalCost, int Attempts, string? LastError, List<ListItemDto> Projects);
public sealed record ReceivedSubmissionDto(Guid SubmissionId, string Jurisdiction, Guid ProcessId, string CanonicalContent, string ContentHash, string Receipt);
public sealed record ProblemDto(string? Title, int Status, string? Detail, Dictionary<string, string[]>? Errors);
