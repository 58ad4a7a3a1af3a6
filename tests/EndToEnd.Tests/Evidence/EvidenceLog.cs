namespace PBServices.EndToEnd.Tests.Evidence;

/// <summary>
/// The figures the evidence suites measure: in the test's own output, and appended to the file PB_EVIDENCE_LOG names
/// (deploy/local/test.sh prints it before the summary line), else TestResults/evidence.txt beside the tests, since a
/// passing test's output is otherwise not shown.
/// </summary>
public static class EvidenceLog
{
    private static readonly Lock Gate = new();

    public static void Write(string suite, string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        var path = Environment.GetEnvironmentVariable("PB_EVIDENCE_LOG") is { Length: > 0 } given
            ? given
            : Path.Combine(AppContext.BaseDirectory, "TestResults", "evidence.txt");
        lock (Gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.AppendAllText(path, $"{DateTimeOffset.UtcNow:HH:mm:ss} [{suite}] {line}{Environment.NewLine}");
        }
    }
}
