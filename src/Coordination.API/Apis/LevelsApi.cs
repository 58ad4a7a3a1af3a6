using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Processes;
using PBServices.BuildingBlocks.Security;
using PBServices.BuildingBlocks.Text;
using PBServices.Contracts;
using PBServices.Contracts.IntegrationEvents;
using PBServices.Coordination.Domain;
using PBServices.Coordination.Infrastructure;

namespace PBServices.Coordination.Apis;

/// <summary>
/// Coordination between levels: the coordination council of each process shapes its list from the agents' one,
/// every change a decision with its reason and author, published; wider-impact projects go up a level or are co-financed.
/// </summary>
public static class LevelsApi
{
    public static IEndpointRouteBuilder MapLevelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/coordination/processes/{processId:guid}").RequireAuthorization(Roles.CoordinationCouncil)
            .WithTag("Coordination between levels",
                "The coordinated list of a process: the agents' list, the authorities' decisions on it with their reasons, impact rules, escalation to the level above and co-financing.");
        api.MapGet("/coordination", GetCoordination).AllowAnonymous()
            .WithName("GetCoordination")
            .WithSummary("Get the coordinated list of a process: each project as the agents ranked it and as it stands, its impact, its co-financing, every authority decision with its reason, and the commitment against the ceiling");
        api.MapGet("/decisions.csv", DownloadDecisionsCsv).AllowAnonymous()
            .WithName("DownloadDecisionsCsv")
            .WithSummary("Download, as open data (CSV), every authority decision that changed the agents' list of a process, with its reason, author and time");
        api.MapGet("/lists-below", GetListsBelow).AllowAnonymous()
            .WithName("GetListsBelow")
            .WithSummary("Get the lists of the same fiscal year one level below (a province's districts, a region's provinces), classified by this level's impact rules, and the projects escalated to this level");
        api.MapPut("/impact-rules", SetImpactRules)
            .WithName("SetImpactRules")
            .WithSummary("Set what this level counts as of wider impact: a cost threshold, beneficiaries in more than one district, plan objectives")
            .Refuses(StatusCodes.Status409Conflict, "The process is not in Coordination, or its coordination is closed.");
        api.MapPost("/items/{proposalId:guid}/drop", Drop)
            .WithName("DropProject")
            .WithSummary("Take a project off the list, with the reason (a decision published beside the results)")
            .Refuses(StatusCodes.Status409Conflict, "The process is not in Coordination, its coordination is closed, or the project is not on the list.");
        api.MapPost("/items/{proposalId:guid}/rank", Reorder)
            .WithName("ReorderProject")
            .WithSummary("Move a project to another rank, with the reason")
            .Refuses(StatusCodes.Status409Conflict, "The process is not in Coordination, its coordination is closed, or the project is not on the list.");
        api.MapPost("/items/{proposalId:guid}/alteration", Alter)
            .WithName("AlterProject")
            .WithSummary("Change a project's title or cost, with the reason; a higher cost must stay within the ceiling")
            .Refuses(StatusCodes.Status409Conflict, "Not in Coordination, closed, not on the list, co-financed (revise the agreement), or over the ceiling.");
        api.MapPost("/items/{proposalId:guid}/escalation", Escalate)
            .WithName("EscalateProject")
            .WithSummary("Send a project of wider impact up to the level above, with the reason: it leaves this list and the level above may include it")
            .Refuses(StatusCodes.Status409Conflict, "Not in Coordination, closed, not on the list, co-financed, or a region's list (no level above runs a process).");
        api.MapPost("/inclusions", Include)
            .WithName("IncludeEscalatedProject")
            .WithSummary("Include a project escalated from a list below, at a rank, optionally co-financed in the same decision")
            .Refuses(StatusCodes.Status409Conflict, "Not in Coordination, closed, the project was not escalated to this level, or a ceiling would be exceeded.");
        api.MapPost("/items/{proposalId:guid}/merge", Merge)
            .WithName("MergeDuplicateProject")
            .WithSummary("Merge a duplicate (on this list or a list below) into a project of this list, with the reason")
            .Refuses(StatusCodes.Status409Conflict, "Not in Coordination, a list is closed, or a project is not on its list.");
        api.MapPut("/items/{proposalId:guid}/cofinancing", Cofinance)
            .WithName("SetCofinancing")
            .WithSummary("Agree who pays what share of a project: governments from their own ceilings, the community, organisations or companies in money, materials or labour valued in soles; the shares add up to the cost")
            .Refuses(StatusCodes.Status409Conflict, "Not in Coordination, closed, a charged government's coordination is closed, or its ceiling would be exceeded.");
        api.MapPost("/closure", Close)
            .WithName("CloseCoordination")
            .WithSummary("Close coordination of the list: it is fixed and published as ListCoordinated, the list the agents vote on at the formalization workshop")
            .Refuses(StatusCodes.Status409Conflict, "Not in Coordination, already closed, a project escalated to this level awaits a decision, or the list is empty.");
        return app;
    }

    public sealed record ReasonRequest(string? Reason);
    public sealed record RankRequest(int Rank, string? Reason);
    public sealed record AlterationRequest(string? Title, decimal? Cost, string? Reason);
    public sealed record MergeRequest(Guid IntoProposalId, string? Reason);
    public sealed record ImpactRulesRequest(decimal? CostThreshold, bool MultiDistrict, IReadOnlyList<string>? PlanObjectives);
    public sealed record CofinancingRequest(IReadOnlyList<CofinancingShare>? Shares, string? Reason);
    public sealed record InclusionRequest(Guid ProposalId, int? Rank, string? Reason, IReadOnlyList<CofinancingShare>? Shares);

    public sealed record ItemView(Guid ProposalId, string Title, decimal Cost, decimal Score, int? AgreedRank, int? Rank, ItemStatus Status, Guid? MergedInto,
        Guid OriginListId, string OriginJurisdiction, IReadOnlyList<string> Impact, CofinancingAgreement? Cofinancing, ProposalCopy? Proposal);
    public sealed record CoordinationView(Guid ListId, Guid ProcessId, string Jurisdiction, GovernmentLevel Level, int FiscalYear, ListStatus Status, decimal BudgetCeiling,
        decimal Commitment, ImpactRules? ImpactRules, IReadOnlyList<ItemView> Items, IReadOnlyList<ListedProject> AgreedByAgents, IReadOnlyList<Decision> Decisions);
    public sealed record ListBelowView(Guid ListId, Guid ProcessId, string Jurisdiction, ListStatus Status, decimal BudgetCeiling, decimal Commitment, IReadOnlyList<ItemView> Items);
    public sealed record ListsBelowView(Guid ProcessId, string Jurisdiction, ImpactRules? ImpactRules, IReadOnlyList<ListBelowView> Lists, IReadOnlyList<ItemView> EscalatedHere);

    private static async Task<Ok<CoordinationView>> GetCoordination(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        return TypedResults.Ok(await ViewAsync(uow, await uow.GetByProcessAsync(processId, ct), ct));
    }

    private static async Task<Ok<ListsBelowView>> GetListsBelow(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var list = await uow.GetByProcessAsync(processId, ct);
        var rules = await uow.GetImpactRulesAsync(processId, ct);
        var below = new List<ListBelowView>();
        var escalated = new List<ItemView>();
        var own = await uow.GetItemsAsync(list.Id, ct);
        foreach (var lower in await uow.GetListsBelowAsync(list.Jurisdiction, list.FiscalYear, ct))
        {
            // The level above classifies the lists below by its own rules.
            var items = await ItemViewsAsync(uow, lower, rules, lower.Level, ct);
            below.Add(new ListBelowView(lower.Id, lower.ProcessId, lower.Jurisdiction, lower.Status, lower.BudgetCeiling, await uow.GetCommitmentAsync(lower.ProcessId, ct), items));
            escalated.AddRange(items.Where(i => i.Status == ItemStatus.Escalated && !IsTaken(i.ProposalId, own)));
        }
        return TypedResults.Ok(new ListsBelowView(processId, list.Jurisdiction, rules, below, escalated));
    }

    private static async Task<FileContentHttpResult> DownloadDecisionsCsv(Guid processId, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var list = await uow.GetByProcessAsync(processId, ct);
        var csv = new StringBuilder();
        CsvText.AppendRow(csv, "decided_at", "kind", "proposal_id", "details", "reason", "author", "role");
        foreach (var d in await uow.GetDecisionsAsync(list.Id, ct))
        {
            CsvText.AppendRow(csv, d.DecidedAt.ToString("O", CultureInfo.InvariantCulture), d.Kind.ToString(), d.ProposalId?.ToString() ?? "",
                JsonSerializer.Serialize(d.Details), d.Reason, d.Author, d.Role);
        }
        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"Peru_{list.Jurisdiction}_{list.FiscalYear}_decisions.csv");
    }

    private static bool IsTaken(Guid proposalId, IReadOnlyList<CoordinationItem> upper) => upper.Any(i => i.ProposalId == proposalId);

    private static async Task<Ok<CoordinationView>> SetImpactRules(Guid processId, ImpactRulesRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var (list, _) = await OpenAsync(uow, processId, user, "Setting impact rules", ct);
        var rules = ImpactRules.Validate(r.CostThreshold, r.MultiDistrict, r.PlanObjectives);
        await uow.SaveImpactRulesAsync(processId, rules, Author(user), ct);
        uow.Audit(Actor.As(user, Roles.CoordinationCouncil), "coordination.impact-rules", processId, list.Id.ToString(), rules);
        await uow.CommitAsync(ct);
        return TypedResults.Ok(await ReadAsync(db, processId, ct));
    }

    private static Task<Ok<CoordinationView>> Drop(Guid processId, Guid proposalId, ReasonRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct) =>
        DecideAsync(db, processId, user, "Dropping a project", DecisionKind.Drop, proposalId, r.Reason, ct, (_, items, _) =>
        {
            var item = CoordinationRules.Included(items, proposalId);
            var after = CoordinationRules.Renumber(items.Select(i => i == item ? i with { Status = ItemStatus.Dropped } : i));
            return Task.FromResult((after, new Dictionary<string, object?> { ["title"] = item.Title, ["rank"] = item.Rank }));
        });

    private static Task<Ok<CoordinationView>> Reorder(Guid processId, Guid proposalId, RankRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct) =>
        DecideAsync(db, processId, user, "Reordering the list", DecisionKind.Reorder, proposalId, r.Reason, ct, (_, items, _) =>
        {
            var item = CoordinationRules.Included(items, proposalId);
            var rank = CoordinationRules.ValidRank(r.Rank, items.Count(i => i.Status == ItemStatus.Included));
            if (rank == item.Rank)
            {
                throw new DomainException("rank", $"«{item.Title}» is already at rank {rank}");
            }
            return Task.FromResult((CoordinationRules.Renumber(items, proposalId, rank), new Dictionary<string, object?> { ["title"] = item.Title, ["from"] = item.Rank, ["to"] = rank }));
        });

    private static Task<Ok<CoordinationView>> Alter(Guid processId, Guid proposalId, AlterationRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct) =>
        DecideAsync(db, processId, user, "Altering a project", DecisionKind.Alter, proposalId, r.Reason, ct, async (list, items, uow) =>
        {
            var item = CoordinationRules.Included(items, proposalId);
            var title = r.Title is null ? item.Title : Guard.Text("title", r.Title, 200);
            var cost = r.Cost is { } c ? Guard.Soles("cost", c) : item.Cost;
            if (title == item.Title && cost == item.Cost)
            {
                throw new DomainException("cost", "Give a new title or a new cost");
            }
            if (cost != item.Cost && (await uow.GetAgreementsAsync(list.Id, ct)).Any(a => a.ProposalId == proposalId))
            {
                throw new ConflictException("cost", $"«{item.Title}» is co-financed: agree the shares of the new cost instead");
            }
            var after = items.Select(i => i == item ? i with { Title = title, Cost = cost } : i).ToList();
            return (after, new Dictionary<string, object?> { ["title"] = new[] { item.Title, title }, ["cost"] = new[] { item.Cost, cost } });
        });

    private static Task<Ok<CoordinationView>> Escalate(Guid processId, Guid proposalId, ReasonRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct) =>
        DecideAsync(db, processId, user, "Escalating a project", DecisionKind.Escalate, proposalId, r.Reason, ct, async (list, items, uow) =>
        {
            var above = Jurisdictions.ParentOf(list.Jurisdiction)
                ?? throw new ConflictException("proposalId", "A region's list has no level above it that runs a process; co-finance the project instead");
            var item = CoordinationRules.Included(items, proposalId);
            if ((await uow.GetAgreementsAsync(list.Id, ct)).Any(a => a.ProposalId == proposalId))
            {
                throw new ConflictException("proposalId", $"«{item.Title}» is co-financed on this list; escalating it would leave its agreement behind");
            }
            var after = CoordinationRules.Renumber(items.Select(i => i == item ? i with { Status = ItemStatus.Escalated } : i));
            return (after, new Dictionary<string, object?> { ["title"] = item.Title, ["rank"] = item.Rank, ["to"] = above });
        });

    private static async Task<Ok<CoordinationView>> Include(Guid processId, InclusionRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var (list, _) = await OpenAsync(uow, processId, user, "Including an escalated project", ct);
        var reason = CoordinationRules.Reason(r.Reason);
        CoordinationItem? escalated = null;
        CoordinatedList? from = null;
        foreach (var lower in await uow.GetListsBelowAsync(list.Jurisdiction, list.FiscalYear, ct))
        {
            if ((await uow.GetItemsAsync(lower.Id, ct)).FirstOrDefault(i => i.ProposalId == r.ProposalId && i.Status == ItemStatus.Escalated) is { } found)
            {
                (escalated, from) = (found, lower);
            }
        }
        if (escalated is null || from is null)
        {
            throw new ConflictException("proposalId", "No list below this one escalated that project to this level");
        }
        var items = await uow.GetItemsAsync(list.Id, ct);
        if (items.Any(i => i.ProposalId == r.ProposalId))
        {
            throw new ConflictException("proposalId", $"«{escalated.Title}» is already on this list");
        }
        var included = items.Count(i => i.Status == ItemStatus.Included);
        var rank = r.Rank is { } asked ? CoordinationRules.ValidRank(asked, included + 1) : included + 1;
        var added = new CoordinationItem(escalated.ProposalId, from.Id, escalated.Title, escalated.Cost, escalated.Score, null, included + 1, ItemStatus.Included, null);
        var after = CoordinationRules.Renumber(items.Append(added), added.ProposalId, rank);
        var charged = new List<Guid> { list.ProcessId };
        CofinancingAgreement? agreement = null;
        if (r.Shares is not null)
        {
            var shares = CoordinationRules.Shares(r.Shares, escalated.Cost);
            agreement = new CofinancingAgreement(Guid.CreateVersion7(uow.Now), list.Id, escalated.ProposalId, escalated.Cost, shares, Author(user), uow.Now);
            charged.AddRange(shares.Where(s => s.ProcessId is not null).Select(s => s.ProcessId!.Value));
        }
        var locked = await LockChargedAsync(uow, list, charged, ct);
        await uow.SaveItemsAsync(list.Id, items, after, ct);
        if (agreement is not null)
        {
            await uow.SaveAgreementAsync(agreement, ct);
        }
        var decision = new Decision(Guid.CreateVersion7(uow.Now), list.Id, escalated.ProposalId, DecisionKind.Include,
            new Dictionary<string, object?> { ["title"] = escalated.Title, ["from"] = from.Jurisdiction, ["rank"] = rank, ["cofinanced"] = agreement is not null },
            reason, Author(user), Roles.CoordinationCouncil, uow.Now);
        await RecordAsync(uow, user, list, decision, ct);
        await EnsureWithinCeilingsAsync(uow, locked, ct);
        await CommitAsync(uow, ct);
        return TypedResults.Ok(await ReadAsync(db, processId, ct));
    }

    private static async Task<Ok<CoordinationView>> Merge(Guid processId, Guid proposalId, MergeRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var (list, _) = await OpenAsync(uow, processId, user, "Merging duplicates", ct);
        var reason = CoordinationRules.Reason(r.Reason);
        var items = await uow.GetItemsAsync(list.Id, ct);
        var into = CoordinationRules.Included(items, r.IntoProposalId, "intoProposalId");
        if (r.IntoProposalId == proposalId)
        {
            throw new DomainException("intoProposalId", "A project is not a duplicate of itself");
        }
        // The duplicate is on this list or on a list below, whose council has not closed it.
        var home = items.Any(i => i.ProposalId == proposalId) ? list : null;
        if (home is null)
        {
            foreach (var lower in await uow.GetListsBelowAsync(list.Jurisdiction, list.FiscalYear, ct))
            {
                if ((await uow.GetItemsAsync(lower.Id, ct)).Any(i => i.ProposalId == proposalId))
                {
                    home = lower;
                }
            }
        }
        if (home is null)
        {
            throw new DomainException("proposalId", $"Project {proposalId} is on neither this list nor a list below it");
        }
        if (home.Id != list.Id)
        {
            // Locked as its own council's decisions lock it, so an escalation there and this merge do not overwrite each other.
            home = await uow.GetByProcessAsync(home.ProcessId, ct, forUpdate: true);
        }
        if (home.Status != ListStatus.Received)
        {
            throw new ConflictException("proposalId", $"The list of {home.Jurisdiction} is closed ({home.Status})");
        }
        var homeItems = home.Id == list.Id ? items : await uow.GetItemsAsync(home.Id, ct);
        var duplicate = CoordinationRules.Included(homeItems, proposalId);
        var after = CoordinationRules.Renumber(homeItems.Select(i => i == duplicate ? i with { Status = ItemStatus.Merged, MergedInto = into.ProposalId } : i));
        await uow.SaveItemsAsync(home.Id, homeItems, after, ct);
        var decision = new Decision(Guid.CreateVersion7(uow.Now), home.Id, proposalId, DecisionKind.Merge,
            new Dictionary<string, object?> { ["title"] = duplicate.Title, ["into"] = into.ProposalId, ["intoTitle"] = into.Title, ["decidedIn"] = list.Jurisdiction },
            reason, Author(user), Roles.CoordinationCouncil, uow.Now);
        await RecordAsync(uow, user, home, decision, ct);
        await CommitAsync(uow, ct);
        return TypedResults.Ok(await ReadAsync(db, processId, ct));
    }

    private static async Task<Ok<CoordinationView>> Cofinance(Guid processId, Guid proposalId, CofinancingRequest r, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var (list, _) = await OpenAsync(uow, processId, user, "Co-financing a project", ct);
        var item = CoordinationRules.Included(await uow.GetItemsAsync(list.Id, ct), proposalId);
        var shares = CoordinationRules.Shares(r.Shares, item.Cost);
        var reason = r.Reason is null ? null : CoordinationRules.Reason(r.Reason);
        var charged = shares.Where(s => s.ProcessId is not null).Select(s => s.ProcessId!.Value).Append(list.ProcessId).ToList();
        var locked = await LockChargedAsync(uow, list, charged, ct);
        var agreement = new CofinancingAgreement(Guid.CreateVersion7(uow.Now), list.Id, proposalId, item.Cost, shares, Author(user), uow.Now);
        await uow.SaveAgreementAsync(agreement, ct);
        uow.Audit(Actor.As(user, Roles.CoordinationCouncil), "coordination.cofinanced", processId, proposalId.ToString(),
            new { item.Title, item.Cost, Shares = shares }, reason);
        await EnsureWithinCeilingsAsync(uow, locked, ct);
        await CommitAsync(uow, ct);
        return TypedResults.Ok(await ReadAsync(db, processId, ct));
    }

    private static async Task<Ok<CoordinationView>> Close(Guid processId, ClaimsPrincipal user, UnitOfWorkFactory db, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        var (list, _) = await OpenAsync(uow, processId, user, "Closing coordination", ct);
        var items = await uow.GetItemsAsync(list.Id, ct);
        var included = items.Where(i => i.Status == ItemStatus.Included).OrderBy(i => i.Rank).ToList();
        if (included.Count == 0)
        {
            throw new ConflictException("processId", "No project is left on the list");
        }
        foreach (var lower in await uow.GetListsBelowAsync(list.Jurisdiction, list.FiscalYear, ct))
        {
            if ((await uow.GetItemsAsync(lower.Id, ct)).FirstOrDefault(i => i.Status == ItemStatus.Escalated && !IsTaken(i.ProposalId, items)) is { } waiting)
            {
                throw new ConflictException("processId", $"«{waiting.Title}», escalated from {lower.Jurisdiction}, awaits this level's decision: include it or merge it first");
            }
        }
        var commitment = await uow.GetCommitmentAsync(list.ProcessId, ct);
        if (commitment > list.BudgetCeiling)
        {
            throw new ConflictException("processId", $"The list commits S/ {commitment:N2}, over the ceiling of S/ {list.BudgetCeiling:N2}");
        }
        list.MarkCoordinated();
        await uow.MarkCoordinatedAsync(list, Author(user), ct);
        var decisions = await uow.GetDecisionsAsync(list.Id, ct);
        var projects = included.Select(i => new ListedProject(i.ProposalId, i.Title, i.Cost, i.Score, i.Rank!.Value)).ToList();
        uow.Publish(new ListCoordinated
        {
            ProcessId = processId, Jurisdiction = list.Jurisdiction, ListId = list.Id, Level = list.Level, FiscalYear = list.FiscalYear,
            BudgetCeiling = list.BudgetCeiling, Projects = projects, OwnCommitment = commitment, Decisions = decisions.Count,
        });
        uow.Audit(Actor.As(user, Roles.CoordinationCouncil), "list.coordinated", processId, list.Id.ToString(),
            new { Projects = projects, OwnCommitment = commitment, Decisions = decisions.Count });
        await uow.CommitAsync(ct);
        return TypedResults.Ok(await ReadAsync(db, processId, ct));
    }

    /// <summary>A decision on the process's own list: the change, its record and its audit entry commit together, within the ceilings.</summary>
    private static async Task<Ok<CoordinationView>> DecideAsync(UnitOfWorkFactory db, Guid processId, ClaimsPrincipal user, string action, DecisionKind kind, Guid proposalId,
        string? reasonText, CancellationToken ct, Func<CoordinatedList, IReadOnlyList<CoordinationItem>, UnitOfWork, Task<(IReadOnlyList<CoordinationItem> After, Dictionary<string, object?> Details)>> change)
    {
        await using var uow = await db.BeginAsync(ct);
        var (list, _) = await OpenAsync(uow, processId, user, action, ct);
        var reason = CoordinationRules.Reason(reasonText);
        var items = await uow.GetItemsAsync(list.Id, ct);
        var (after, details) = await change(list, items, uow);
        var locked = await LockChargedAsync(uow, list, [list.ProcessId], ct);
        await uow.SaveItemsAsync(list.Id, items, after, ct);
        await RecordAsync(uow, user, list, new Decision(Guid.CreateVersion7(uow.Now), list.Id, proposalId, kind, details, reason, Author(user), Roles.CoordinationCouncil, uow.Now), ct);
        await EnsureWithinCeilingsAsync(uow, locked, ct);
        await CommitAsync(uow, ct);
        return TypedResults.Ok(await ReadAsync(db, processId, ct));
    }

    private static async Task<(CoordinatedList List, ProcessStage Process)> OpenAsync(UnitOfWork uow, Guid processId, ClaimsPrincipal user, string action, CancellationToken ct)
    {
        var list = await uow.GetByProcessAsync(processId, ct, forUpdate: true);
        user.EnsureActsFor(list.Jurisdiction);
        var process = await uow.GetProcessStageAsync(processId, ct);
        CoordinationRules.RequireOpen(list, process, action);
        return (list, process);
    }

    private static async Task RecordAsync(UnitOfWork uow, ClaimsPrincipal user, CoordinatedList list, Decision d, CancellationToken ct)
    {
        await uow.InsertDecisionAsync(d, ct);
        uow.Audit(Actor.As(user, Roles.CoordinationCouncil), $"coordination.{d.Kind.ToString().ToLowerInvariant()}", list.ProcessId, d.ProposalId?.ToString() ?? list.Id.ToString(),
            new { d.Id, Kind = d.Kind.ToString(), d.Details, List = list.Id }, d.Reason);
    }

    /// <summary>Every charged government is a list of the same fiscal year still being coordinated; its row stays locked until commit.</summary>
    private static async Task<IReadOnlyList<LevelsStore.ChargedList>> LockChargedAsync(UnitOfWork uow, CoordinatedList list, IReadOnlyList<Guid> charged, CancellationToken ct)
    {
        var locked = await uow.LockCeilingsAsync(charged, ct);
        foreach (var id in charged.Distinct())
        {
            var row = locked.FirstOrDefault(l => l.ProcessId == id);
            if (row is null)
            {
                throw new DomainException("shares", $"Process {id} has no list in coordination to pay from");
            }
            if (id != list.ProcessId && Jurisdictions.ParentOf(row.Jurisdiction) != list.Jurisdiction && Jurisdictions.ParentOf(list.Jurisdiction) != row.Jurisdiction)
            {
                throw new DomainException("shares", $"{row.Jurisdiction} is neither a level below nor the level above {list.Jurisdiction}: governments co-finance along their lineage");
            }
            if (row.FiscalYear != list.FiscalYear)
            {
                throw new DomainException("shares", $"Process {id} is of fiscal year {row.FiscalYear}, not {list.FiscalYear}");
            }
            if (id != list.ProcessId && row.Status != ListStatus.Received)
            {
                throw new ConflictException("shares", $"The coordination of {row.Jurisdiction} is closed: its commitments are fixed");
            }
        }
        return locked;
    }

    /// <summary>The charged lists' rows are already locked (<see cref="LockChargedAsync"/>): their commitments, with this change written, within their ceilings.</summary>
    private static async Task EnsureWithinCeilingsAsync(UnitOfWork uow, IReadOnlyList<LevelsStore.ChargedList> charged, CancellationToken ct)
    {
        foreach (var row in charged)
        {
            var committed = await uow.GetCommitmentAsync(row.ProcessId, ct);
            if (committed > row.Ceiling)
            {
                throw new ConflictException("shares", $"{row.Jurisdiction} would commit S/ {committed:N2}, over its ceiling of S/ {row.Ceiling:N2}");
            }
        }
    }

    /// <summary>The database checks the same rules at commit; a race the locks did not serialise is still a 409, not a 500.</summary>
    private static async Task CommitAsync(UnitOfWork uow, CancellationToken ct)
    {
        try
        {
            await uow.CommitAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.CheckViolation or PostgresErrorCodes.UniqueViolation)
        {
            throw new ConflictException("shares", e.MessageText);
        }
    }

    private static string Author(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    private static async Task<CoordinationView> ReadAsync(UnitOfWorkFactory db, Guid processId, CancellationToken ct)
    {
        await using var uow = await db.BeginAsync(ct);
        return await ViewAsync(uow, await uow.GetByProcessAsync(processId, ct), ct);
    }

    private static async Task<CoordinationView> ViewAsync(UnitOfWork uow, CoordinatedList list, CancellationToken ct)
    {
        var rules = await uow.GetImpactRulesAsync(list.ProcessId, ct);
        var items = await ItemViewsAsync(uow, list, rules, list.Level, ct);
        return new CoordinationView(list.Id, list.ProcessId, list.Jurisdiction, list.Level, list.FiscalYear, list.Status, list.BudgetCeiling,
            await uow.GetCommitmentAsync(list.ProcessId, ct), rules, items, list.Projects, await uow.GetDecisionsAsync(list.Id, ct));
    }

    private static async Task<IReadOnlyList<ItemView>> ItemViewsAsync(UnitOfWork uow, CoordinatedList list, ImpactRules? rules, GovernmentLevel level, CancellationToken ct)
    {
        var items = await uow.GetItemsAsync(list.Id, ct);
        var proposals = await uow.GetProposalsAsync(items.Select(i => i.ProposalId), ct);
        var agreements = await uow.GetAgreementsAsync(list.Id, ct);
        var origins = new Dictionary<Guid, string> { [list.Id] = list.Jurisdiction };
        foreach (var origin in items.Select(i => i.OriginListId).Distinct().Where(o => !origins.ContainsKey(o)))
        {
            origins[origin] = await uow.GetJurisdictionOfListAsync(origin, ct);
        }
        return items.Select(i =>
        {
            var proposal = proposals.GetValueOrDefault(i.ProposalId);
            return new ItemView(i.ProposalId, i.Title, i.Cost, i.Score, i.AgreedRank, i.Rank, i.Status, i.MergedInto, i.OriginListId, origins[i.OriginListId],
                rules?.Classify(i, proposal, level) ?? [], agreements.FirstOrDefault(a => a.ProposalId == i.ProposalId), proposal);
        }).ToList();
    }
}
