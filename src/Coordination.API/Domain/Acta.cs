using System.Text.Json.Serialization;
using System.Security.Cryptography;
using System.Text;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;

namespace PBServices.Coordination.Domain;

/// <summary>The agents' approval of the final list, as deliberation published it (FinalListVoted).</summary>
public sealed record FinalVote(Guid ListId, Guid VoteId, int Approve, int Reject, int Abstain, DateTimeOffset VotedAt, IReadOnlyList<Guid> ProposalIds);

public sealed record ActaShare(string PartyKind, string Party, string Contribution, decimal Amount, string? Commitment);

public sealed record ActaProject(int Rank, Guid ProposalId, string Title, decimal Cost, decimal Score, IReadOnlyList<ActaShare> Cofinancing);

/// <summary>What a party undertakes for a project: its share and, where the agreement records it, the commitment in its words.</summary>
public sealed record ActaCommitment(string Party, string PartyKind, Guid ProposalId, string Project, string Contribution, decimal Amount, string? Commitment);

public sealed record ActaAgent(Guid AgentId, string FullName, string Organisation);

public sealed record ActaVote(Guid VoteId, int Approve, int Reject, int Abstain, DateTimeOffset VotedAt);

/// <summary>The content of the Acta de Acuerdos y Compromisos: what its signatures are over, hashed as canonical JSON.</summary>
public sealed record ActaContent(
    string Number,
    int Version,
    Guid ProcessId,
    string Jurisdiction,
    GovernmentLevel Level,
    int FiscalYear,
    Guid ListId,
    DateTimeOffset DrawnAt,
    ActaVote FinalVote,
    IReadOnlyList<ActaProject> Projects,
    decimal TotalCost,
    IReadOnlyList<ActaCommitment> Commitments,
    IReadOnlyList<CommitteeMember> Committee,
    IReadOnlyList<ActaAgent> Present);

/// <summary>One version of the acta: its content, the canonical text and that text's SHA-256 (hex).</summary>
public sealed record ActaVersion(ActaContent Content, string Canonical, string ContentHash)
{
    public static ActaVersion Of(ActaContent content)
    {
        var canonical = CanonicalJson.Serialize(content);
        return new ActaVersion(content, canonical, Hash(canonical));
    }

    public static string Hash(string canonical) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
}

/// <summary>Who signs: an authority of the jurisdiction, or an agent the acta records present.</summary>
public sealed record Signer(string Subject, string Role, string Name, bool IsAgent);

public sealed record ActaSignature(string Signer, string Role, string Name, bool IsAgent, int Version, string ContentHash, DateTimeOffset SignedAt);

/// <summary>The two bodies that approve the signed acta.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalBody>))]
public enum ApprovalBody
{
    /// <summary>The coordination council (Consejo de Coordinación Local or Regional), role coordination-council.</summary>
    CoordinationCouncil,
    /// <summary>The municipal or regional council, role council.</summary>
    Council,
}

public sealed record ActaApproval(ApprovalBody Body, string ApprovedBy, DateTimeOffset ApprovedAt);

/// <summary>
/// The Acta de Acuerdos y Compromisos of a process. Drawn up after the agents voted the final list and elected the
/// oversight committee; redrawn as a new version until the first signature, never after. Signatures are over the
/// current version's content hash, one per person. Once at least one authority and one agent have signed, the
/// coordination council and the council approve it; with both approvals the list is formalized.
/// </summary>
public sealed class Acta
{
    public Guid ProcessId { get; init; }
    public ActaVersion? Current { get; private set; }
    public IReadOnlyList<ActaSignature> Signatures { get; init; } = [];
    public IReadOnlyList<ActaApproval> Approvals { get; init; } = [];

    public bool Formalized => Approvals.Select(a => a.Body).Distinct().Count() == Enum.GetValues<ApprovalBody>().Length;

    public ActaVersion DrawUp(ProcessStage process, CoordinatedList list, FinalVote? vote, CommitteeElection election, IReadOnlyList<ActaProject> projects,
        IReadOnlyList<ActaCommitment> commitments, IReadOnlyList<ActaAgent> present, string? number, DateTimeOffset now)
    {
        StageRule.Require(process.Stage, "Drawing up the acta", Stage.Formalization);
        if (list.Status == ListStatus.Formalized)
        {
            throw new ConflictException("acta", "The list is already formalized");
        }
        if (list.Status != ListStatus.Coordinated)
        {
            throw new ConflictException("acta", "Coordination between levels has not closed the list: the acta records the coordinated list");
        }
        if (Signatures.Count > 0)
        {
            throw new ConflictException("acta", $"The acta has {Signatures.Count} signature(s): once signed it never changes");
        }
        if (vote is null)
        {
            throw new ConflictException("finalVote", "The agents have not yet approved the final list: the acta is drawn up after the final vote");
        }
        if (election.Status != ElectionStatus.Elected)
        {
            throw new ConflictException("committee", "The oversight committee is not yet elected: the acta records it");
        }
        if (present.Count == 0)
        {
            throw new ConflictException("present", "No agent is recorded present at the formalization workshop");
        }
        var voted = vote.ProposalIds.ToHashSet();
        if (projects.Count == 0 || !voted.SetEquals(projects.Select(p => p.ProposalId)))
        {
            throw new ConflictException("projects", "The list's projects are not the ones the agents voted; the acta records the list they approved");
        }
        var text = Guard.Text("number", number, 100);
        Current = ActaVersion.Of(new ActaContent(text, (Current?.Content.Version ?? 0) + 1, ProcessId, list.Jurisdiction, list.Level, list.FiscalYear, list.Id,
            AuditChain.ToStoredPrecision(now), new ActaVote(vote.VoteId, vote.Approve, vote.Reject, vote.Abstain, vote.VotedAt),
            projects.OrderBy(p => p.Rank).ToList(), projects.Sum(p => p.Cost), commitments, election.Members, present));
        return Current;
    }

    public ActaSignature Sign(ProcessStage process, Signer signer, string? contentHash, DateTimeOffset now)
    {
        StageRule.Require(process.Stage, "Signing the acta", Stage.Formalization);
        var current = Current ?? throw new ConflictException("acta", "The acta has not been drawn up");
        if (Formalized)
        {
            throw new ConflictException("acta", "The acta is approved and the list formalized; signatures are closed");
        }
        if (string.IsNullOrWhiteSpace(contentHash))
        {
            throw new DomainException("contentHash", "The content hash of the acta the signer read");
        }
        if (!string.Equals(contentHash.Trim(), current.ContentHash, StringComparison.OrdinalIgnoreCase))
        {
            throw new ConflictException("contentHash", $"Not the hash of the current version ({current.Content.Version}) of the acta: read it again before signing");
        }
        if (signer.IsAgent && current.Content.Present.All(p => p.AgentId.ToString() != signer.Subject))
        {
            throw new ForbiddenException("Agents sign the acta when it records them present at the formalization workshop; this one it does not");
        }
        if (Signatures.FirstOrDefault(s => s.Signer == signer.Subject) is { } earlier)
        {
            throw new ConflictException("signature", $"Already signed on {earlier.SignedAt:yyyy-MM-dd HH:mm} UTC: one signature per person");
        }
        return new ActaSignature(signer.Subject, signer.Role, signer.Name, signer.IsAgent, current.Content.Version, current.ContentHash, AuditChain.ToStoredPrecision(now));
    }

    /// <summary>
    /// A body approves the signed acta; the second approval formalizes the list, which then flows to the Ministry with each
    /// project's dossier (<see cref="Dossier"/>) and the acta's signatures and approvals.
    /// </summary>
    public (ActaApproval Approval, ListFormalized? Formalized) Approve(ProcessStage process, CoordinatedList list, ApprovalBody body, string approvedBy, DateTimeOffset now,
        DossierSources sources)
    {
        StageRule.Require(process.Stage, "Approving the acta", Stage.Formalization);
        var current = Current ?? throw new ConflictException("acta", "The acta has not been drawn up");
        if (Approvals.Any(a => a.Body == body))
        {
            throw new ConflictException("body", $"The {body} has already approved the acta");
        }
        if (!Signatures.Any(s => !s.IsAgent) || !Signatures.Any(s => s.IsAgent))
        {
            throw new ConflictException("signatures", "The acta is approved once signed by at least one authority and one agent");
        }
        var approval = new ActaApproval(body, approvedBy, AuditChain.ToStoredPrecision(now));
        if (Approvals.Count + 1 < Enum.GetValues<ApprovalBody>().Length)
        {
            return (approval, null);
        }
        var dossier = Dossier.Of(process.ProcessId, current.Content.Projects, sources);
        var formalized = list.Formalize(process, current.Content.Number, approval.ApprovedAt) with
        {
            ActaContentHash = current.ContentHash,
            Projects = current.Content.Projects.Select(p => new ListedProject(p.ProposalId, p.Title, p.Cost, p.Score, p.Rank)).ToList(),
            Dossier = dossier,
            Signatures = new ActaSignatures(Signatures.Count(s => !s.IsAgent), Signatures.Count(s => s.IsAgent),
                [.. Approvals.Select(a => a.Body.ToString()), approval.Body.ToString()]),
            Committee = current.Content.Committee.Select(m => new CommitteeSeat(m.Seat, m.AgentId, m.FullName, m.Organisation, m.Quota?.ToString())).ToList(),
        };
        return (approval, formalized);
    }

    public static Acta Restore(Guid processId, ActaVersion? current, IReadOnlyList<ActaSignature> signatures, IReadOnlyList<ActaApproval> approvals) =>
        new() { ProcessId = processId, Current = current, Signatures = signatures, Approvals = approvals };
}

/// <summary>
/// What coordination knows of the acta's projects beyond the acta itself, read when it is approved: the proposals' copies
/// (plan objective, latest assessment), the list's co-financing agreements by project, and the jurisdiction of each process.
/// </summary>
public sealed record DossierSources(IReadOnlyDictionary<Guid, ProposalCopy> Proposals, IReadOnlyDictionary<Guid, CofinancingAgreement> Agreements,
    IReadOnlyDictionary<Guid, string> Jurisdictions);

/// <summary>Each formalized project as the Ministry checks it: its plan objective, its assessment, and who pays what.</summary>
public static class Dossier
{
    public static IReadOnlyList<FormalizedProject> Of(Guid processId, IReadOnlyList<ActaProject> projects, DossierSources sources) =>
        projects.OrderBy(p => p.Rank).Select(p =>
        {
            var proposal = sources.Proposals.TryGetValue(p.ProposalId, out var copy)
                ? copy
                : throw new ConflictException("projects", $"Coordination has no copy of proposal {p.ProposalId} ({p.Title}): its plan objective is unknown");
            var agreement = sources.Agreements.GetValueOrDefault(p.ProposalId);
            return new FormalizedProject(p.ProposalId, proposal.PlanObjective, OwnShare(processId, p, agreement), proposal.Assessment,
                p.Cofinancing.Select(s => Entry(s, agreement, sources.Jurisdictions)).ToList());
        }).ToList();

    /// <summary>What this government pays of its own ceiling: its share of a co-financed project, else the full cost (as government_commitment counts it).</summary>
    public static decimal OwnShare(Guid processId, ActaProject project, CofinancingAgreement? agreement) =>
        agreement is null ? project.Cost : agreement.Shares.Where(s => s.ProcessId == processId).Sum(s => s.Amount);

    /// <summary>A government is named by the ubigeo of the process it pays from; the other parties as the acta names them.</summary>
    private static Contracts.Submissions.CofinancingEntry Entry(ActaShare share, CofinancingAgreement? agreement, IReadOnlyDictionary<Guid, string> jurisdictions)
    {
        var party = share.PartyKind == nameof(PartyKind.Government)
            && agreement?.Shares.FirstOrDefault(s => s.PartyKind == PartyKind.Government && s.Party == share.Party)?.ProcessId is { } process
            && jurisdictions.TryGetValue(process, out var ubigeo)
                ? ubigeo
                : share.Party;
        return new Contracts.Submissions.CofinancingEntry(share.PartyKind, party, share.Contribution, share.Amount);
    }
}
