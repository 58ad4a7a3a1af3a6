using PBServices.Allocation;
using PBServices.Allocation.Pabulib;

namespace PBServices.PbTool;

internal static class GenerateCommand
{
    public static int Run(Options options, TextWriter stdout)
    {
        var voters = (int)options.RequiredNumber("voters", 0, 50_000_000);
        var projects = (int)options.RequiredNumber("projects", 1, 100_000);
        var typeName = options.Required("type");
        if (!VoteTypes.TryParse(typeName, out var type))
        {
            throw new UsageException($"unknown --type '{typeName}' (approval, cumulative, ordinal, choose-1)");
        }
        var seed = (ulong)options.RequiredNumber("seed", 0, long.MaxValue);
        if (options.Positional.Count > 0)
        {
            throw new UsageException($"unexpected argument '{options.Positional[0]}'");
        }
        options.EnsureAllUsed();
        PbWriter.Write(ElectionGenerator.Generate(voters, projects, type, seed), stdout);
        return Cli.Ok;
    }
}
