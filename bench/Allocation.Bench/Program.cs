using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PBServices.Allocation;
using PBServices.Allocation.Pabulib;

// Two measurements for docs/benchmarks.md:
//   synthetic --voters N --projects M --seed S : generate an approval election to a temporary .pb
//       file, then time parse + tally + greedy + MES in this fresh process (JIT included).
//   pabulib FILE... : per file, MES and MES-add1 compute time (parse excluded, as for pabutools),
//       one JSON line each, with the winners, for bench/compare_pabutools.py.
if (args.Length >= 1 && args[0] == "synthetic")
{
    return Synthetic(Arg("--voters", 1_000_000), Arg("--projects", 200), (ulong)Arg("--seed", 1));
}
if (args.Length >= 2 && args[0] == "pabulib")
{
    return Pabulib(args[1..]);
}
Console.Error.WriteLine("usage: Allocation.Bench synthetic [--voters N] [--projects M] [--seed S] | pabulib FILE...");
return 1;

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static int Synthetic(int voters, int projects, ulong seed)
{
    var path = Path.Combine(Path.GetTempPath(), $"pb-bench-{voters}-{projects}-{seed}.pb");
    if (!File.Exists(path))
    {
        using var file = File.Create(path);
        PbWriter.Write(ElectionGenerator.Generate(voters, projects, VoteType.Approval, seed), file);
    }
    GC.Collect();
    var baseline = Process.GetCurrentProcess().WorkingSet64;

    var clock = Stopwatch.StartNew();
    PbElection election;
    using (var stream = File.OpenRead(path))
    {
        election = PbReader.Read(stream);
    }
    var parse = clock.Elapsed.TotalMilliseconds;
    clock.Restart();
    var tally = Tally.Count(election);
    var tallyMs = clock.Elapsed.TotalMilliseconds;
    clock.Restart();
    var greedy = Allocator.Allocate(election, AllocationRule.Greedy, tally);
    var greedyMs = clock.Elapsed.TotalMilliseconds;
    clock.Restart();
    var mes = Allocator.Allocate(election, AllocationRule.EqualShares, tally);
    var mesMs = clock.Elapsed.TotalMilliseconds;

    var process = Process.GetCurrentProcess();
    var approvals = election.Ballots.Count == 0 ? 0 : Enumerable.Range(0, election.Ballots.Count).Sum(b => election.Ballots.Projects(b).Length);
    Console.WriteLine($"file            {path} ({new FileInfo(path).Length / 1_000_000.0:F1} MB, {election.Ballots.Count} ballots, {approvals} approvals, {election.Projects.Count} projects)");
    Console.WriteLine($"parse           {parse,8:F0} ms");
    Console.WriteLine($"tally           {tallyMs,8:F0} ms");
    Console.WriteLine($"greedy          {greedyMs,8:F0} ms  ({greedy.Selected.Count} funded)");
    Console.WriteLine($"mes             {mesMs,8:F0} ms  ({mes.Selected.Count} funded)");
    Console.WriteLine($"total           {parse + tallyMs + greedyMs + mesMs,8:F0} ms");
    Console.WriteLine($"peak memory     {process.PeakWorkingSet64 / 1_048_576,8} MiB working set (baseline {baseline / 1_048_576} MiB)");
    return 0;
}

static int Pabulib(string[] files)
{
    foreach (var path in files)
    {
        PbElection election;
        using (var stream = File.OpenRead(path))
        {
            election = PbReader.Read(stream);
        }
        var tally = Tally.Count(election);
        var record = new Dictionary<string, object>
        {
            ["file"] = Path.GetFileName(path),
            ["voters"] = election.Ballots.Count,
            ["projects"] = election.Projects.Count,
        };
        foreach (var rule in new[] { AllocationRule.EqualShares, AllocationRule.EqualSharesAdd1 })
        {
            // The first run includes JIT compilation; then warm up until the hot methods are fully
            // optimised (at least 30 runs and 0.3 s, tiered compilation's thresholds), then the
            // median of five. pabutools runs on CPython, which has no JIT to warm.
            var first = Stopwatch.StartNew();
            var outcome = Allocator.Allocate(election, rule, tally);
            record[rule.Name() + "_first_seconds"] = first.Elapsed.TotalSeconds;
            var warm = Stopwatch.StartNew();
            for (var runs = 0; runs < 30 || warm.Elapsed.TotalSeconds < 0.3; runs++)
            {
                Allocator.Allocate(election, rule, tally);
            }
            var times = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var clock = Stopwatch.StartNew();
                outcome = Allocator.Allocate(election, rule, tally);
                times.Add(clock.Elapsed.TotalSeconds);
            }
            times.Sort();
            record[rule.Name()] = outcome.Selected;
            record[rule.Name() + "_seconds"] = times[2];
        }
        Console.WriteLine(JsonSerializer.Serialize(record));
    }
    return 0;
}
