using PBServices.Allocation.Pabulib;

namespace PBServices.PbTool;

internal static class ValidateCommand
{
    public static int Run(Options options, Func<Stream> openStdin, TextWriter stdout)
    {
        var path = options.SingleFile();
        options.EnsureAllUsed();
        PbValidation result;
        using (var stream = Cli.Open(path, openStdin))
        {
            result = PbReader.Validate(stream);
        }
        foreach (var problem in result.Problems)
        {
            stdout.WriteLine($"{path}: {problem}");
        }
        if (result.ProblemsNotListed > 0)
        {
            stdout.WriteLine($"{path}: … and {result.ProblemsNotListed} more problems");
        }
        if (result.Election is { } e)
        {
            stdout.WriteLine($"{path}: valid {e.VoteType.ToPabulib()} election, {e.Projects.Count} projects, {e.Ballots.Count} ballots, budget {e.Budget}");
            return Cli.Ok;
        }
        stdout.WriteLine($"{path}: invalid, {result.ErrorCount} error(s)");
        return Cli.BadFile;
    }
}
