using System.Text;
using PBServices.Allocation.Pabulib;

namespace PBServices.Allocation.Tests;

/// <summary>Small hand-written elections in the .pb format, so each test shows its whole input.</summary>
internal static class Elections
{
    /// <summary>Builds an approval election: projects as (id, cost), ballots as lists of project ids.</summary>
    public static PbElection Approval(decimal budget, (string Id, decimal Cost)[] projects, params string[][] ballots) =>
        PbReader.ReadString(Text("approval", budget, projects, ballots.Select(b => string.Join(',', b)).ToArray(), null));

    /// <summary>Builds a cumulative election: each ballot maps project id to points.</summary>
    public static PbElection Cumulative(decimal budget, (string Id, decimal Cost)[] projects, params (string Id, int Points)[][] ballots) =>
        PbReader.ReadString(Text("cumulative", budget, projects,
            ballots.Select(b => string.Join(',', b.Select(x => x.Id))).ToArray(),
            ballots.Select(b => string.Join(',', b.Select(x => x.Points))).ToArray()));

    public static string Text(string voteType, decimal budget, (string Id, decimal Cost)[] projects, string[] votes, string[]? points)
    {
        var sb = new StringBuilder();
        sb.Append($"META\nkey;value\nnum_projects;{projects.Length}\nnum_votes;{votes.Length}\nbudget;{budget}\nvote_type;{voteType}\n");
        sb.Append("PROJECTS\nproject_id;cost\n");
        foreach (var (id, cost) in projects)
        {
            sb.Append($"{id};{cost}\n");
        }
        sb.Append(points is null ? "VOTES\nvoter_id;vote\n" : "VOTES\nvoter_id;vote;points\n");
        for (var i = 0; i < votes.Length; i++)
        {
            sb.Append(points is null ? $"{i};{votes[i]}\n" : $"{i};{votes[i]};{points[i]}\n");
        }
        return sb.ToString();
    }

    /// <summary>Repeats a ballot, for elections described as "40 voters approve A and B".</summary>
    public static IEnumerable<string[]> Times(int count, params string[] ballot) => Enumerable.Repeat(ballot, count);
}
