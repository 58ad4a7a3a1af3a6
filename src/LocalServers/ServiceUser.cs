using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PBServices.LocalServers;

/// <summary>
/// PostgreSQL refuses to run as root and Debian's RabbitMQ expects its own user: as root a server runs
/// through <c>runuser</c> as its package's user (<c>postgres</c>, <c>rabbitmq</c>); anyone else runs it
/// as themselves.
/// </summary>
public static class ServiceUser
{
    public static bool IsRoot { get; } = Environment.UserName == "root";

    /// <summary>The command that runs <paramref name="executable"/> as <paramref name="user"/>.</summary>
    public static ServerCommand Command(string user, string executable, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment, string workingDirectory) =>
        IsRoot
            ? new ServerCommand("runuser", ["-u", user, "--", executable, .. arguments], environment, workingDirectory)
            : new ServerCommand(executable, [.. arguments], environment, workingDirectory);

    /// <summary>Makes <paramref name="path"/> (recursively) the user's, when we are root and it runs as that user.</summary>
    public static void GiveTo(string path, string user)
    {
        if (IsRoot)
        {
            Run("chown", ["-R", $"{user}:{user}", path]);
        }
    }

    /// <summary>
    /// Whether <paramref name="user"/> can get into <paramref name="directory"/>, tested as that user:
    /// one folder above it closed to others (a 0700 home) is enough to lock the servers out.
    /// </summary>
    public static bool CanReach(string user, string directory)
    {
        if (!IsRoot)
        {
            return true;
        }
        try
        {
            Run("runuser", ["-u", user, "--", "test", "-x", directory]);
            return true;
        }
        catch (LocalServerException)
        {
            return false;
        }
    }

    /// <summary>A port free on loopback right now; the server binds it itself.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a command to completion; its standard output, or a <see cref="LocalServerException"/> naming what failed.</summary>
    internal static string Run(string command, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "/",
        };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new LocalServerException($"Could not start {command}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new LocalServerException($"Could not start {command}: {e.Message}", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                // Through runuser, the program that failed is the one after "--".
                var program = command == "runuser" ? psi.ArgumentList.SkipWhile(a => a != "--").Skip(1).FirstOrDefault() ?? command : command;
                throw new LocalServerException($"{Path.GetFileName(program)} failed (exit {process.ExitCode}): {OneLine(stderr + stdout.Result)}");
            }
            return stdout.Result.Trim();
        }
    }

    /// <summary>A tool's output in one line: its error lines when it has any (initdb explains a lot before failing).</summary>
    internal static string OneLine(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines.Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("fatal", StringComparison.OrdinalIgnoreCase)).ToArray();
        return string.Join(" / ", errors.Length > 0 ? errors : lines);
    }
}
