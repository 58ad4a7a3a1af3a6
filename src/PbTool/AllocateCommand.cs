using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PBServices.Allocation;
using PBServices.Allocation.Pabulib;

namespace PBServices.PbTool;

internal static class AllocateCommand
{
    public static int Run(Options options, Func<Stream> openStdin, TextWriter stdout)
    {
        var ruleName = options.Required("rule");
        if (!AllocationRules.TryParse(ruleName, out var rule))
        {
            throw new UsageException($"unknown rule '{ruleName}' (greedy, greedy-no-skip, mes, mes-add1)");
        }
        var json = options.Flag("json");
        var path = options.SingleFile();
        options.EnsureAllUsed();

        var clock = Stopwatch.StartNew();
        PbElection election;
        using (var stream = Cli.Open(path, openStdin))
        {
            election = PbReader.Read(stream);
        }
        var parseMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var tally = Tally.Count(election);
        var tallyMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var outcome = Allocator.Allocate(election, rule, tally);
        var allocateMs = clock.Elapsed.TotalMilliseconds;

        if (json)
        {
            WriteJson(stdout, election, outcome, parseMs, tallyMs, allocateMs);
        }
        else
        {
            WriteText(stdout, election, outcome);
        }
        return Cli.Ok;
    }

    private static void WriteText(TextWriter o, PbElection election, AllocationOutcome outcome)
    {
        var currency = election.MetaValue("currency") is { Length: > 0 } c ? " " + c : "";
        o.WriteLine($"rule {outcome.Rule.Name()}, budget {Money(outcome.Budget)}{currency}, " +
                    $"{election.Ballots.Count} ballots ({election.VoteType.ToPabulib()}), {election.Projects.Count} projects");
        if (outcome.VoterShare is { } share)
        {
            o.WriteLine($"voter share {share}{currency} (about {Approx(share)})");
        }
        var rows = outcome.Projects.Where(p => p.Verdict == ProjectVerdict.Funded).ToList();
        var idWidth = Math.Max(7, rows.Select(p => p.Id.Length).DefaultIfEmpty(0).Max());
        var costWidth = Math.Max(4, rows.Select(p => Money(p.Cost).Length).DefaultIfEmpty(0).Max());
        o.WriteLine($"{"#",3}  {"project".PadRight(idWidth)}  {"cost".PadLeft(costWidth)}  {"score",8}");
        var n = 0;
        foreach (var p in rows)
        {
            o.WriteLine($"{++n,3}  {p.Id.PadRight(idWidth)}  {Money(p.Cost).PadLeft(costWidth)}  {Money(p.Score),8}");
        }
        o.WriteLine($"total {Money(outcome.Spent)} of {Money(outcome.Budget)}{currency} ({n} projects, {Money(outcome.Budget - outcome.Spent)} left)");
    }

    private static void WriteJson(TextWriter o, PbElection election, AllocationOutcome outcome, double parseMs, double tallyMs, double allocateMs)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("rule", outcome.Rule.Name());
            w.WriteNumber("budget", outcome.Budget);
            w.WriteNumber("ballots", election.Ballots.Count);
            if (outcome.VoterShare is { } share) w.WriteString("voter_share", share);
            w.WriteStartArray("selected");
            foreach (var id in outcome.Selected) w.WriteStringValue(id);
            w.WriteEndArray();
            w.WriteNumber("spent", outcome.Spent);
            w.WriteStartArray("projects");
            foreach (var p in outcome.Projects)
            {
                w.WriteStartObject();
                w.WriteString("id", p.Id);
                w.WriteNumber("cost", p.Cost);
                w.WriteNumber("score", p.Score);
                w.WriteNumber("supporters", p.Supporters);
                w.WriteBoolean("funded", p.Verdict == ProjectVerdict.Funded);
                w.WriteString("verdict", Verdict(p.Verdict));
                if (p.Round is { } round) w.WriteNumber("round", round);
                if (p.PricePerUtility is { } price) w.WriteString("price_per_utility", price);
                if (p.PayingSupporters is { } paying) w.WriteNumber("paying_supporters", paying);
                if (p.After is { } after) w.WriteString("after", after);
                if (p.Available is { } available) w.WriteNumber("available", available);
                w.WriteString("reason", p.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("timings_ms");
            w.WriteNumber("parse", Math.Round(parseMs, 3));
            w.WriteNumber("tally", Math.Round(tallyMs, 3));
            w.WriteNumber("allocate", Math.Round(allocateMs, 3));
            w.WriteEndObject();
            w.WriteEndObject();
        }
        o.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static string Verdict(ProjectVerdict v) => v switch
    {
        ProjectVerdict.Funded => "funded",
        ProjectVerdict.DidNotFit => "did_not_fit",
        ProjectVerdict.NotReached => "not_reached",
        ProjectVerdict.Unaffordable => "unaffordable",
        ProjectVerdict.NoSupport => "no_support",
        _ => throw new ArgumentOutOfRangeException(nameof(v)),
    };

    /// <summary>A fraction such as 42703/21 as a decimal, for reading; the fraction stays exact.</summary>
    private static string Approx(string fraction)
    {
        var parts = fraction.Split('/');
        var value = parts.Length == 2 ? decimal.Parse(parts[0], CultureInfo.InvariantCulture) / decimal.Parse(parts[1], CultureInfo.InvariantCulture)
            : decimal.Parse(parts[0], CultureInfo.InvariantCulture);
        return value.ToString("0.##", CultureInfo.InvariantCulture);
    }

    private static string Money(decimal d) => d.ToString("0.##", CultureInfo.InvariantCulture);
}
