using System.Net;
using System.Net.Http.Json;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// A process taken through the gateway as its officials and agents would, as far as a test needs: what a
/// resident then reads without signing in (the API and the portal) is what these steps created.
/// </summary>
public sealed class ProcessStory
{
    private readonly SystemFixture _system;
    private readonly string _jurisdiction;
    private readonly HttpClient _admin;
    private readonly CancellationToken _ct;
    private HttpClient? _agent;

    private ProcessStory(SystemFixture system, string jurisdiction, HttpClient admin, ProcessDto process, CancellationToken ct)
    {
        _system = system;
        _jurisdiction = jurisdiction;
        _admin = admin;
        Process = process;
        _ct = ct;
    }

    public ProcessDto Process { get; }
    /// <summary>The process-admin's client, for the steps a test takes itself.</summary>
    public HttpClient Admin => _admin;
    /// <summary>The client of the agent accredited last.</summary>
    public HttpClient Agent => _agent ?? throw new InvalidOperationException("Accredit an agent first");
    public List<ProposalDto> Proposals { get; } = [];
    /// <summary>Every response an official, resident or agent got while building the story, to check what they reveal.</summary>
    public List<string> PrivateResponses { get; } = [];

    /// <summary>Opens the process for next year; it starts in Preparation, when agents register.</summary>
    public static async Task<ProcessStory> OpenAsync(SystemFixture system, string jurisdiction, string name, decimal ceiling, CancellationToken ct, string level = "district")
    {
        var admin = system.As(await system.TokenAsync("process-admin", jurisdiction, $"pp-{jurisdiction}"));
        var opened = await admin.PostAsJsonAsync("/api/registration/processes",
            new { name, fiscalYear = DateTime.UtcNow.Year + 1, level, budgetCeiling = ceiling }, ct);
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        return new ProcessStory(system, jurisdiction, admin, (await opened.Content.ReadFromJsonAsync<ProcessDto>(ct))!, ct);
    }

    /// <summary>Preparation is over: the workshops of Concertation begin.</summary>
    public async Task StartConcertationAsync()
    {
        await ProcessSteps.AdvanceAsync(_admin, Process.Id, "Concertation", _ct);
    }

    /// <summary>A resident applies with their DNI and the process-admin accredits them; the last one accredited proposes.</summary>
    public async Task<AgentDto> AccreditAgentAsync(string fullName, string dni, string organisation)
    {
        var resident = _system.As(await _system.TokenAsync("resident", _jurisdiction));
        var registered = await resident.PostAsJsonAsync($"/api/registration/processes/{Process.Id}/agents", new { fullName, dni, organisation }, _ct);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        PrivateResponses.Add(await registered.Content.ReadAsStringAsync(_ct));
        var agent = (await registered.Content.ReadFromJsonAsync<AgentDto>(_ct))!;
        var accredited = await _admin.PostAsync($"/api/registration/processes/{Process.Id}/agents/{agent.Id}/accreditation", null, _ct);
        Assert.Equal(HttpStatusCode.OK, accredited.StatusCode);
        PrivateResponses.Add(await accredited.Content.ReadAsStringAsync(_ct));
        _agent = _system.As(await _system.TokenAsync("agent", _jurisdiction, agent.Id.ToString()));
        return agent;
    }

    public async Task<ProposalDto> ProposeAsync(string title, decimal cost)
    {
        var agent = _agent ?? throw new InvalidOperationException("Accredit an agent first");
        var proposal = await Eventually.Get(async () =>
        {
            var r = await agent.PostAsJsonAsync($"/api/deliberation/processes/{Process.Id}/proposals",
                new { title, description = "Propuesta del taller de diagnóstico", cost, location = "Centro poblado", beneficiaries = 1200, planObjective = "OE2 Servicios básicos" }, _ct);
            return r.StatusCode == HttpStatusCode.Created ? await r.Content.ReadFromJsonAsync<ProposalDto>(_ct) : null;
        }, "deliberation to accept a proposal from the accredited agent");
        Proposals.Add(proposal);
        return proposal;
    }

    /// <summary>The technical team assesses each proposal, once it has reached their queue.</summary>
    public async Task AssessAsync(params (ProposalDto Proposal, bool Viable, decimal Score, string Reasons)[] assessments)
    {
        var assessor = _system.As(await _system.TokenAsync("technical-team", _jurisdiction, $"equipo-tecnico-{_jurisdiction}"));
        await Eventually.Get(async () =>
        {
            var queue = await assessor.GetFromJsonAsync<List<AssessmentDto>>($"/api/assessment/queue?processId={Process.Id}", _ct);
            return assessments.All(a => queue!.Any(q => q.ProposalId == a.Proposal.Id)) ? queue : null;
        }, "the proposals in the technical team's queue");
        foreach (var (proposal, viable, score, reasons) in assessments)
        {
            var r = await assessor.PostAsJsonAsync($"/api/assessment/proposals/{proposal.Id}/recommendation", new { viable, score, reasons }, _ct);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        await Eventually.Get(async () =>
        {
            var seen = await _admin.GetFromJsonAsync<List<ProposalDto>>($"/api/deliberation/processes/{Process.Id}/proposals", _ct);
            return seen!.All(p => p.Status != "Submitted") ? seen : null;
        }, "deliberation to record the assessments");
    }

    public async Task<PrioritizedListDto> PrioritizeAsync()
    {
        var r = await _admin.PostAsync($"/api/deliberation/processes/{Process.Id}/prioritized-list", null, _ct);
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return (await r.Content.ReadFromJsonAsync<PrioritizedListDto>(_ct))!;
    }

    /// <summary>The stages advance to Formalization, the council formalizes the list, and in Submission it reaches the Ministry.</summary>
    public async Task<SubmissionDto> FormalizeAndDeliverAsync(string actaReference)
    {
        var council = _system.As(await _system.TokenAsync("council", _jurisdiction, $"concejo-{_jurisdiction}"));
        await ProcessSteps.AdvanceAsync(_admin, Process.Id, "Coordination", _ct);
        await ProcessSteps.AdvanceAsync(_admin, Process.Id, "Formalization", _ct);
        await Eventually.Get(async () =>
        {
            var r = await council.PostAsJsonAsync($"/api/coordination/processes/{Process.Id}/list/formalization", new { actaReference }, _ct);
            return r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadFromJsonAsync<CoordinatedListDto>(_ct) : null;
        }, "coordination to receive and formalize the list");
        // The signed package waits for the Submission stage.
        await ProcessSteps.AdvanceAsync(_admin, Process.Id, "Submission", _ct);
        return await Eventually.Get(async () =>
        {
            var r = await _admin.GetAsync($"/api/submissions/processes/{Process.Id}", _ct);
            var s = r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadFromJsonAsync<SubmissionDto>(_ct) : null;
            return s?.Status == "Delivered" ? s : null;
        }, "the submission to be delivered to the Ministry intake");
    }
}
