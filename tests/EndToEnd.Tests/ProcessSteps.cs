using System.Net;
using System.Net.Http.Json;

namespace PBServices.EndToEnd.Tests;

/// <summary>The steps of a process that many tests take, through the gateway as its officers would.</summary>
public static class ProcessSteps
{
    /// <summary>Advances the process one stage, as its process-admin does, and checks registration took it.</summary>
    public static async Task AdvanceAsync(HttpClient admin, Guid processId, string toStage, CancellationToken ct)
    {
        var response = await admin.PostAsJsonAsync($"/api/registration/processes/{processId}/stage", new { toStage }, ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"advance to {toStage}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    /// <summary>
    /// Sends a request until the receiving service has caught up with the events before it (stage, agent,
    /// list): it answers <paramref name="expected"/> then. Any other lasting answer fails with its body.
    /// </summary>
    public static async Task<HttpResponseMessage> UntilAsync(Func<Task<HttpResponseMessage>> send, HttpStatusCode expected, string what)
    {
        HttpResponseMessage? last = null;
        try
        {
            return await Eventually.Get(async () =>
            {
                last = await send();
                return last.StatusCode == expected ? last : null;
            }, what);
        }
        catch (TimeoutException) when (last is not null)
        {
            throw new TimeoutException($"Timed out waiting for {what}: last answer {(int)last.StatusCode} {await last.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Opens a district process, accredits one agent in Preparation and advances to Concertation.</summary>
    public static async Task<(ProcessDto Process, HttpClient Admin, HttpClient Agent)> OpenInConcertationAsync(SystemFixture system, string jurisdiction, decimal ceiling, CancellationToken ct)
    {
        var story = await ProcessStory.OpenAsync(system, jurisdiction, $"Presupuesto Participativo {jurisdiction}", ceiling, ct);
        await story.AccreditAgentAsync("Luz Condori Mamani", "41234567", "Comité de Vaso de Leche");
        await story.StartConcertationAsync();
        return (story.Process, story.Admin, story.Agent);
    }

    public static object Proposal(string title, decimal cost) =>
        new { title, description = "Proyecto priorizado en el taller de diagnóstico", cost, location = "Ilo", beneficiaries = 2500, planObjective = "OE2 Servicios básicos" };
}
