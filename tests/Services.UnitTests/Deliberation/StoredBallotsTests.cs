using System.Text.Json;
using PBServices.Contracts;
using PBServices.Deliberation.Domain;
using PBServices.Deliberation.Infrastructure;

namespace PBServices.UnitTests.Deliberation;

/// <summary>The count read from the stored ballots' flat arrays gives the result the ballots as objects give, to the last reason.</summary>
public sealed class StoredBallotsTests
{
    [Theory]
    [InlineData(BallotFormat.Approval, "mes-add1")]
    [InlineData(BallotFormat.Approval, "mes")]
    [InlineData(BallotFormat.Approval, "greedy")]
    [InlineData(BallotFormat.Cumulative, "mes")]
    [InlineData(BallotFormat.Ranked, "greedy")]
    [InlineData(BallotFormat.Plurality, "mes-add1")]
    public void A_round_counted_from_its_stored_ballots_has_the_result_of_its_ballots_counted_as_objects(BallotFormat format, string rule)
    {
        var random = new Random(7);
        var projects = Enumerable.Range(1, 12)
            .Select(i => new RoundProject(Guid.NewGuid(), $"Proyecto {i}", 50_000m * random.Next(2, 19)))
            .ToList();
        var process = new ProcessCopy(Guid.NewGuid(), "180300", "PP Ilo 2027", 2027, GovernmentLevel.Province, 2_500_000m, Stage.Concertation,
            new ProcessRules(2, true, format, rule, 5, 4, 5, []));
        var round = VotingRound.Restore(Guid.NewGuid(), process.Id, format.ToString(), null, null, format == BallotFormat.Cumulative ? 10 : null, projects,
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        var ballots = new List<CastBallot>();
        var receipts = new HashSet<string>();
        while (ballots.Count < 3_000)
        {
            var receipt = Receipts.New();
            if (!receipts.Add(receipt))
            {
                continue;
            }
            // Popular projects first, so the rules have real choices to make.
            var length = format == BallotFormat.Plurality ? 1 : 1 + random.Next(5);
            var chosen = projects.OrderBy(p => random.NextDouble() * (1 + projects.IndexOf(p))).Take(length).Select(p => p.ProposalId).ToList();
            var points = format == BallotFormat.Cumulative ? chosen.Select(_ => 1 + random.Next(2)).ToList() : [];
            ballots.Add(new CastBallot(Guid.NewGuid(), receipt, new BallotChoice(chosen, points), random.Next(10) == 0 ? BallotChannel.Paper : BallotChannel.Online));
        }
        var stored = new StoredBallots(round);
        // In the order a table scan may return them: the count must not depend on it.
        foreach (var b in ballots.OrderBy(b => b.Id))
        {
            stored.Add(b.Receipt, b.Channel, b.Choice.Projects.ToArray(), b.Choice.Points.ToArray());
        }

        var fromObjects = RoundCount.Of(process, round, ballots);
        var fromStored = stored.Tally(process);

        Assert.Equal(JsonSerializer.Serialize(fromObjects), JsonSerializer.Serialize(fromStored));
        Assert.NotEmpty(fromStored.Outcome.Selected);
        Assert.Equal((3_000, ballots.Count(b => b.Channel == BallotChannel.Paper)), (fromStored.Ballots, fromStored.PaperBallots));
        Assert.Equal(rule.StartsWith("mes", StringComparison.Ordinal), fromStored.ComparedWithGreedy is not null);
    }
}
