using System.Net;
using System.Net.Http.Json;

namespace PBServices.EndToEnd.Tests;

/// <summary>
/// Who may vote follows registration's events into deliberation: accreditation, training where the rules
/// require it, revocation; the agent reads why not.
/// </summary>
public sealed class EligibilityTests(SystemFixture system)
{
    public sealed record EligibilityDto(Guid AgentId, bool MayPropose, bool MayVote, bool TrainingRequired, bool Trained, List<string> Reasons);

    [Fact]
    public async Task An_agent_sees_they_may_vote_only_after_training_and_neither_propose_nor_vote_once_revoked()
    {
        var ct = TestContext.Current.CancellationToken;
        const string jurisdiction = "100101"; // Huánuco
        var story = await ProcessStory.OpenAsync(system, jurisdiction, "Presupuesto Participativo Huánuco 2027", 1_500_000m, ct);
        var agent = await story.AccreditAgentAsync("Marleni Espinoza Ramos", "44455566", "Comité de Vaso de Leche Las Moras");
        var path = $"/api/deliberation/processes/{story.Process.Id}/eligibility";

        // Ilo's rules, which the story uses, require training to vote.
        var untrained = await Eventually.Get(async () =>
        {
            var r = await story.Agent.GetAsync(path, ct);
            var e = r.IsSuccessStatusCode ? await r.Content.ReadFromJsonAsync<EligibilityDto>(ct) : null;
            return e is { MayPropose: true } ? e : null;
        }, "deliberation to learn of the process and the accreditation");
        Assert.Equal((false, true, false), (untrained.MayVote, untrained.TrainingRequired, untrained.Trained));
        Assert.Equal(["TrainingNotAttended"], untrained.Reasons);

        var session = await story.Admin.PostAsJsonAsync($"/api/registration/processes/{story.Process.Id}/training-sessions",
            new { date = ProcessStory.TodayInLima.ToString("yyyy-MM-dd"), topic = "Presupuesto participativo", place = "Municipalidad de Huánuco" }, ct);
        Assert.Equal(HttpStatusCode.Created, session.StatusCode);
        var sessionId = (await session.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await story.Agent.PostAsJsonAsync($"/api/registration/processes/{story.Process.Id}/training-sessions/{sessionId}/attendance", new { }, ct)).StatusCode);
        var trained = await Eventually.Get(async () =>
        {
            var e = await story.Agent.GetFromJsonAsync<EligibilityDto>(path, ct);
            return e is { MayVote: true } ? e : null;
        }, "deliberation to learn of the training attended");
        Assert.Empty(trained.Reasons);

        // The office reads any agent's eligibility; another agent may not.
        var neighbour = system.As(await system.TokenAsync("agent", jurisdiction, Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await neighbour.GetAsync($"{path}?agentId={agent.Id}", ct)).StatusCode);
        var notAccredited = await neighbour.GetFromJsonAsync<EligibilityDto>(path, ct);
        Assert.Equal(["NotAccredited"], notAccredited!.Reasons);

        Assert.Equal(HttpStatusCode.OK, (await story.Admin.PostAsJsonAsync($"/api/registration/processes/{story.Process.Id}/agents/{agent.Id}/revocation",
            new { reason = "Renunció a la organización que representaba" }, ct)).StatusCode);
        var revoked = await Eventually.Get(async () =>
        {
            var e = await story.Admin.GetFromJsonAsync<EligibilityDto>($"{path}?agentId={agent.Id}", ct);
            return e is { MayPropose: false } ? e : null;
        }, "deliberation to learn of the revocation");
        Assert.Equal((false, true), (revoked.MayVote, revoked.Trained));
        Assert.Equal(["AccreditationRevoked"], revoked.Reasons);
    }
}
