namespace PBServices.Allocation.Pabulib;

public enum PbSeverity
{
    /// <summary>The count cannot be trusted: the file is refused.</summary>
    Error,
    /// <summary>A quirk that does not change the count (e.g. a stale num_votes in META).</summary>
    Warning,
}

/// <summary>One finding about a .pb file: where it is and which field is at fault.</summary>
public sealed record PbProblem(int Line, string Field, string Message, PbSeverity Severity = PbSeverity.Error)
{
    public override string ToString() =>
        $"line {Line}, field '{Field}': {Message}{(Severity == PbSeverity.Warning ? " (warning)" : "")}";
}

/// <summary>The typed error for a malformed file; carries the first error and everything found before it.</summary>
public sealed class PbFormatException(PbProblem problem)
    : Exception(problem.ToString())
{
    public PbProblem Problem { get; } = problem;
    public int Line => Problem.Line;
    public string Field => Problem.Field;
}
