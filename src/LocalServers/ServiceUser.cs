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

    private static readonly HashSet<int> Handed = [];

    /// <summary>
    /// A port free on loopback right now, which the server binds itself seconds later. It is taken below the kernel's
    /// ephemeral range: a port from that range (what binding port 0 gives) can meanwhile go to any socket, Aspire's
    /// endpoint proxies and every outgoing connection included, and the server then fails to bind it. Above the fixed
    /// ports of the AppHost and its services (up to 20080), never the same one twice in a process.
    /// </summary>
    public static int FreeLoopbackPort()
    {
        var (low, _) = EphemeralRange();
        const int from = 21_000;
        for (var attempt = 0; low - from > 1_000 && attempt < 500; attempt++)
        {
            var port = Random.Shared.Next(from, low);
            lock (Handed)
            {
                if (Handed.Contains(port) || !IsFree(port))
                {
                    continue;
                }
                Handed.Add(port);
                return port;
            }
        }
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The kernel's ephemeral port range (Linux's default when it cannot be read).</summary>
    private static (int Low, int High) EphemeralRange()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return (32_768, 60_999);
        }
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
