using System.Diagnostics;
using System.Text.Json;

namespace PBServices.EndToEnd.Tests;

public sealed record LintProblem(string RuleId, string Severity, string Message, string Pointer);

/// <summary>
/// Redocly's OpenAPI linter at the version tests/openapi-lint/package-lock.json pins, installed there
/// with `npm ci` on first use (a clean clone has only node and npm), never from a global install.
/// </summary>
public static class OpenApiLinter
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan LintTimeout = TimeSpan.FromMinutes(2);
    private static readonly Lazy<Task<string>> Installed = new(InstallAsync);

    public static async Task<IReadOnlyList<LintProblem>> LintAsync(string documentPath, CancellationToken ct)
    {
        var tools = await Installed.Value;
        var (exit, stdout, stderr) = await RunAsync("node",
            [Path.Combine(tools, "node_modules", "@redocly", "cli", "bin", "cli.js"), "lint", "--config", Path.Combine(tools, "redocly.yaml"), "--format=json", documentPath],
            tools, LintTimeout, ct);
        // Exit 1 means problems were found; the report is on standard output either way.
        if (exit is not (0 or 1) || !stdout.TrimStart().StartsWith('{'))
        {
            throw new InvalidOperationException($"The linter failed (exit {exit}):\n{stderr}\n{stdout}");
        }
        using var report = JsonDocument.Parse(stdout);
        return report.RootElement.GetProperty("problems").EnumerateArray().Select(p => new LintProblem(
            p.GetProperty("ruleId").GetString()!,
            p.GetProperty("severity").GetString()!,
            p.GetProperty("message").GetString()!,
            p.GetProperty("location")[0].GetProperty("pointer").GetString() ?? "")).ToList();
    }

    private static async Task<string> InstallAsync()
    {
        var tools = Path.Combine(RepositoryRoot(), "tests", "openapi-lint");
        var pinned = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(tools, "package.json")))
            .RootElement.GetProperty("devDependencies").GetProperty("@redocly/cli").GetString();
        var installedManifest = Path.Combine(tools, "node_modules", "@redocly", "cli", "package.json");
        if (File.Exists(installedManifest)
            && JsonDocument.Parse(await File.ReadAllTextAsync(installedManifest)).RootElement.GetProperty("version").GetString() == pinned)
        {
            return tools;
        }
        var (exit, stdout, stderr) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], tools, InstallTimeout, CancellationToken.None);
        if (exit != 0)
        {
            throw new InvalidOperationException($"`npm ci` in {tools} failed (exit {exit}); the OpenAPI linter @redocly/cli {pinned} needs node and the npm registry:\n{stderr}\n{stdout}");
        }
        return tools;
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string program, string[] arguments, string directory, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // No usage reports or update checks from a test run.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        start.Environment["NO_COLOR"] = "1";
        Process? started;
        try
        {
            started = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Linting the OpenAPI documents needs {program} (Node.js 20.19+ with npm) on the PATH: {e.Message}", e);
        }
        using var process = started ?? throw new InvalidOperationException($"Could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{program} {string.Join(' ', arguments)}` did not finish within {timeout}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PBServices.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No PBServices.sln above {AppContext.BaseDirectory}");
    }
}
