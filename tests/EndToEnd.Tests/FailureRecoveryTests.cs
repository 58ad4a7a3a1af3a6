using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace PBServices.EndToEnd.Tests;

/// <summary>Killing the broker or a service mid-flow loses nothing: work waits in outboxes and durable queues.</summary>
[Collection(SystemDisruption.Name)]
public sealed class FailureRecoveryTests(SystemFixture system)
{
    [Fact]
    public async Task A_proposal_submitted_while_the_broker_is_down_reaches_the_technical_team_once_it_is_back()
    {
        var ct = TestContext.Current.CancellationToken;
        var (processId, agent) = await OpenProcessWithAgentAsync("180302", ct);

        await ExecuteAsync("messaging", KnownResourceCommands.StopCommand, ct);
        var submitted = await agent.PostAsJsonAsync($"/api/deliberation/processes/{processId}/proposals",
            new { title = "Defensa ribereña Algarrobal", description = "Muros de contención", cost = 250_000m, location = "El Algarrobal", beneficiaries = 800, planObjective = "OE4 Gestión de riesgos" }, ct);
        // Acknowledged once it is committed, broker or not.
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var proposal = (await submitted.Content.ReadFromJsonAsync<ProposalDto>(ct))!;

        await ExecuteAsync("messaging", KnownResourceCommands.StartCommand, ct);
        await WaitHealthyAsync("messaging", ct);

        var assessor = system.As(await system.TokenAsync("technical-team", "180302", "ing-luis"));
        await Eventually.Get(async () =>
        {
            var queue = await assessor.GetFromJsonAsync<List<AssessmentDto>>($"/api/assessment/queue?processId={processId}", ct);
            return queue!.SingleOrDefault(a => a.ProposalId == proposal.Id);
        }, "the proposal in the technical team's queue after the broker came back", TimeSpan.FromSeconds(120));
    }

    [Fact]
    public async Task A_proposal_submitted_while_technical_assessment_is_down_waits_in_its_queue()
    {
        var ct = TestContext.Current.CancellationToken;
        var (processId, agent) = await OpenProcessWithAgentAsync("180303", ct);

        await system.CrashAsync("technical-assessment", ct);
        var submitted = await agent.PostAsJsonAsync($"/api/deliberation/processes/{processId}/proposals",
            new { title = "Mercado de abastos Ilo", description = "Techado y servicios", cost = 400_000m, location = "Ilo", beneficiaries = 5000, planObjective = "OE3 Economía local" }, ct);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var proposal = (await submitted.Content.ReadFromJsonAsync<ProposalDto>(ct))!;

        await ExecuteAsync("technical-assessment", KnownResourceCommands.StartCommand, ct);
        await WaitHealthyAsync("technical-assessment", ct);

        var assessor = system.As(await system.TokenAsync("technical-team", "180303", "ing-ana"));
        var queued = await Eventually.Get(async () =>
        {
            var r = await assessor.GetAsync($"/api/assessment/queue?processId={processId}", ct);
            return r.IsSuccessStatusCode ? (await r.Content.ReadFromJsonAsync<List<AssessmentDto>>(ct))!.SingleOrDefault(a => a.ProposalId == proposal.Id) : null;
        }, "the proposal in the technical team's queue after the service restarted", TimeSpan.FromSeconds(120));
        Assert.Equal("Pending", queued.Status);
    }

    private async Task<(Guid ProcessId, HttpClient Agent)> OpenProcessWithAgentAsync(string jurisdiction, CancellationToken ct)
    {
        var story = await ProcessStory.OpenAsync(system, jurisdiction, $"PP {jurisdiction}", 3_000_000m, ct);
        var process = story.Process;
        await story.AccreditAgentAsync("Luz Condori", "41234567", "Comité de Vaso de Leche");
        await story.StartConcertationAsync();
        var agentClient = story.Agent;

        // A first proposal, retried until accepted, proves deliberation knows the process and the agent.
        await Eventually.Get(async () =>
        {
            var r = await agentClient.PostAsJsonAsync($"/api/deliberation/processes/{process.Id}/proposals",
                new { title = "Alumbrado público", description = "Postes solares", cost = 100_000m, location = "Ilo", beneficiaries = 300, planObjective = "OE2" }, ct);
            return r.StatusCode == HttpStatusCode.Created ? "accepted" : null;
        }, "deliberation to accept the accredited agent's first proposal");
        return (process.Id, agentClient);
    }

    private async Task ExecuteAsync(string resource, string command, CancellationToken ct)
    {
        var result = await system.App.ResourceCommands.ExecuteCommandAsync(resource, command, ct);
        Assert.True(result.Success, $"{command} on {resource}: {result.Message}");
    }

    private async Task WaitHealthyAsync(string resource, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        await system.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
    }
}

/// <summary>Tests that stop parts of the shared system run alone, so no other test sees the outage.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SystemDisruption
{
    public const string Name = "System disruption";
}
