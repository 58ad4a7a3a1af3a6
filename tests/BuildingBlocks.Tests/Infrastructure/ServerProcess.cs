using System.Diagnostics;
using System.Runtime.InteropServices;
using PBServices.LocalServers;

namespace PBServices.BuildingBlocks.Tests.Infrastructure;

/// <summary>
/// A server started in its own process group (through <c>setsid</c>), so stopping it reaches every
/// process it spawned (runuser, the start script, the Erlang VM), not just the first. (PostgreSQL backends
/// leave the group, but the postmaster stops them before it exits, and they exit when it dies.)
/// A watchdog shell kills the group if the test process dies without disposing the fixture.
/// </summary>
internal sealed class ServerProcess
{
    private const int SigKill = 9;
    private const int Esrch = 3;

    private readonly Process _process;
    private readonly Process _watchdog;
    private readonly StreamWriter _log;

    private ServerProcess(string name, Process process, Process watchdog, StreamWriter log, string logPath)
    {
        Name = name;
        _process = process;
        _watchdog = watchdog;
        _log = log;
        LogPath = logPath;
    }

    public string Name { get; }
    public string LogPath { get; }
    public bool HasExited => _process.HasExited;

    /// <summary>Starts the server's command (which runs it as its own user when we are root), logging its output.</summary>
    public static ServerProcess Start(string name, ServerCommand command, string logPath)
    {
        var psi = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = command.WorkingDirectory,
        };
        foreach (var arg in command.Arguments.Prepend(command.FileName))
        {
            psi.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in command.Environment)
        {
            psi.Environment[key] = value;
        }

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name}");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // setsid execs in place (we are not a group leader), so the child's pid is the new group's id.
        var watchdog = Watchdog.Start($"kill -9 -{process.Id}");
        return new ServerProcess(name, process, watchdog, log, logPath);
    }

    /// <summary>
    /// Sends <paramref name="signal"/> to the whole group and waits for every member to exit; whatever
    /// is left after <paramref name="grace"/> is killed.
    /// </summary>
    public async Task StopAsync(int signal, TimeSpan grace)
    {
        var group = _process.Id;
        Signal(group, signal);
        if (!await GroupExitedAsync(group, grace))
        {
            Signal(group, SigKill);
            if (!await GroupExitedAsync(group, TimeSpan.FromSeconds(10)))
            {
                throw new InvalidOperationException($"{Name} (process group {group}) survived SIGKILL");
            }
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
        Watchdog.Stop(_watchdog);
        _log.Dispose();
    }

    public string LogTail(int lines = 40)
    {
        try
        {
            using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException e)
        {
            return $"(log unreadable: {e.Message})";
        }
    }

    private static async Task<bool> GroupExitedAsync(int group, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (kill(-group, 0) != 0 && Marshal.GetLastPInvokeError() == Esrch)
            {
                return true;
            }
            await Task.Delay(100);
        }
        return false;
    }

    private static void Signal(int group, int signal)
    {
        if (kill(-group, signal) != 0 && Marshal.GetLastPInvokeError() != Esrch)
        {
            throw new InvalidOperationException($"kill(-{group}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private static void Append(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output after the server was stopped.
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}

/// <summary>
/// A shell that waits for the test process to die and then runs a clean-up command: disposal never runs
/// when the test process is killed, and servers left running would hold ports and files.
/// </summary>
internal static class Watchdog
{
    public static Process Start(string cleanUp)
    {
        var psi = new ProcessStartInfo("sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; {cleanUp}");
        psi.ArgumentList.Add("watchdog");
        psi.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Process.Start(psi) ?? throw new InvalidOperationException("Could not start a watchdog");
    }

    public static void Stop(Process watchdog)
    {
        try
        {
            watchdog.Kill();
            watchdog.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        watchdog.Dispose();
    }
}
