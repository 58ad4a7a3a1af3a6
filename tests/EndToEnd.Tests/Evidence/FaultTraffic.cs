using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;

namespace PBServices.EndToEnd.Tests.Evidence;

/// <summary>One request of the background traffic: acknowledged only when the service answered 2xx.</summary>
public sealed record FaultAttempt(string Kind, DateTimeOffset At, DateTimeOffset Answered, bool Acknowledged, string Outcome)
{
    /// <summary>Whether the request was under way at any moment of the outage (sent before it and answered during it counts).</summary>
    public bool During(FaultWindow window) => At <= window.HealthyAt && Answered >= window.KilledAt;
}

/// <summary>
/// The three flows a process's people keep up while parts of the system die: organisations registering
/// (applications), agents proposing, agents voting. Every acknowledged request is remembered with the id or
/// receipt the service gave, to be looked for afterwards in every database it should have reached.
/// </summary>
public sealed class FaultTraffic
{
    public const string Applications = "application";
    public const string Proposals = "proposal";
    public const string Ballots = "ballot";

    public required Guid RegistrationProcess { get; init; }
    public required HttpClient Resident { get; init; }
    public required Guid ConcertationProcess { get; init; }
    public required IReadOnlyList<HttpClient> Proposers { get; init; }
    public required Guid VotingProcess { get; init; }
    public required Guid RoundId { get; init; }
    public required Guid BallotProject { get; init; }
    public required IReadOnlyList<(Guid Agent, HttpClient Client)> Voters { get; init; }

    public ConcurrentQueue<FaultAttempt> Attempts { get; } = new();
    public ConcurrentQueue<Guid> AcknowledgedApplications { get; } = new();
    public ConcurrentQueue<Guid> AcknowledgedProposals { get; } = new();
    public ConcurrentQueue<(Guid Agent, string Receipt)> AcknowledgedBallots { get; } = new();
    /// <summary>Voters the loop reached (acknowledged or not); the rest never tried.</summary>
    public int VotersTried => _nextVoter;

    private int _nextVoter;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(150);

    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Task.Run(() => ApplyLoopAsync(stop), CancellationToken.None), Task.Run(() => ProposeLoopAsync(stop), CancellationToken.None),
            Task.Run(() => VoteLoopAsync(stop), CancellationToken.None));

    private async Task ApplyLoopAsync(CancellationToken stop)
    {
        // DNIs 05020000 onwards: the setup's agents are in other processes.
        for (var n = 0; n < 9_000 && !stop.IsCancellationRequested; n++)
        {
            var organisation = await SendAsync(Applications + "-organisation", () => Resident.PostAsJsonAsync("/api/registration/organisations", new
            {
                name = $"Junta vecinal {n:0000}", type = "NeighbourhoodCommittee",
                registry = new { kind = "Municipal", number = $"RUOS-050201-{Guid.NewGuid():N}"[..24], date = "2019-03-15" }, territory = "050201", activeMembers = 25,
            }, stop), HttpStatusCode.Created, stop);
            if (organisation is null)
            {
                continue;
            }
            var organisationId = (await ReadAsync<OrganisationDto>(organisation))!.Id;
            var application = await SendAsync(Applications, () => Resident.PostAsJsonAsync($"/api/registration/processes/{RegistrationProcess}/applications", new
            {
                organisationId, channel = "Online",
                agents = new[] { new { role = "Representative", dni = $"0502{n:0000}", fullName = $"Vecina Número {n}", gender = n % 2 == 0 ? "Female" : "Male", birthYear = 1975, phone = "987654321", email = (string?)null } },
            }, stop), HttpStatusCode.Created, stop);
            if (application is not null)
            {
                AcknowledgedApplications.Enqueue((await ReadAsync<ApplicationDto>(application))!.Id);
            }
        }
    }

    private async Task ProposeLoopAsync(CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var proposer = Proposers[n % Proposers.Count];
            var proposal = await SendAsync(Proposals, () => proposer.PostAsJsonAsync($"/api/deliberation/processes/{ConcertationProcess}/proposals",
                ProcessSteps.Proposal($"Obra vecinal {n:0000}", 50_000m + n), stop), HttpStatusCode.Created, stop);
            if (proposal is not null)
            {
                AcknowledgedProposals.Enqueue((await ReadAsync<ProposalDto>(proposal))!.Id);
            }
        }
    }

    private async Task VoteLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var next = Interlocked.Increment(ref _nextVoter) - 1;
            if (next >= Voters.Count)
            {
                _nextVoter = Voters.Count;
                return;
            }
            // One ballot per voter and no second try: a retry after a lost answer would be refused as a second ballot.
            var (agent, client) = Voters[next];
            var cast = await SendAsync(Ballots, () => client.PostAsJsonAsync($"/api/deliberation/processes/{VotingProcess}/rounds/{RoundId}/ballots",
                new { projects = new[] { BallotProject } }, stop), HttpStatusCode.Created, stop);
            if (cast is not null)
            {
                AcknowledgedBallots.Enqueue((agent, (await ReadAsync<VotingReceipt>(cast))!.Receipt));
            }
        }
    }

    /// <summary>The response when it is the one expected, else null; either way the attempt is recorded.</summary>
    private async Task<HttpResponseMessage?> SendAsync(string kind, Func<Task<HttpResponseMessage>> send, HttpStatusCode expected, CancellationToken stop)
    {
        var at = DateTimeOffset.UtcNow;
        string outcome;
        HttpResponseMessage? response = null;
        try
        {
            response = await send();
            outcome = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
        {
            outcome = e is TaskCanceledException ? "timeout" : "no answer";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // Traffic stopped mid-request: not a refusal, not acknowledged.
            return null;
        }
        var acknowledged = response?.StatusCode == expected;
        Attempts.Enqueue(new FaultAttempt(kind, at, DateTimeOffset.UtcNow, acknowledged, outcome));
        try
        {
            await Task.Delay(acknowledged ? Pace : Pace * 4, stop);
        }
        catch (OperationCanceledException)
        {
        }
        if (!acknowledged)
        {
            response?.Dispose();
            return null;
        }
        return response;
    }

    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response)
    {
        using (response)
        {
            return await response.Content.ReadFromJsonAsync<T>(CancellationToken.None);
        }
    }

    private sealed record VotingReceipt(Guid RoundId, string Receipt);
}
