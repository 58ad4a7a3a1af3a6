using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace PBServices.EndToEnd.Tests.Evidence;

/// <summary>One fault: what was killed, when, and when it answered healthy again.</summary>
public sealed record FaultWindow(int Cycle, string Resource, int KilledPid, DateTimeOffset KilledAt, DateTimeOffset HealthyAt)
{
    public TimeSpan Downtime => HealthyAt - KilledAt;
}

/// <summary>
/// Kills a part of the running system with SIGKILL, as a power cut or an evicted pod would, restarts it
/// with the AppHost's own start command and waits until its health check passes again.
/// </summary>
public sealed class FaultInjector(SystemFixture system)
{
    /// <summary>The infrastructure first, then every service behind the gateway, then the gateway itself.</summary>
    public static readonly IReadOnlyList<string> Resources =
        ["messaging", "postgres", "registration", "deliberation", "technical-assessment", "coordination", "ministry-submission", "oversight", "gateway"];

    public async Task<FaultWindow> KillAndRestartAsync(int cycle, string resource, CancellationToken ct)
    {
        var running = await system.App.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text == KnownResourceStates.Running, ct);
        var launcher = int.Parse(running.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value!.ToString()!, CultureInfo.InvariantCulture);
        var victim = ServerProcess(resource, launcher);
        var killedAt = DateTimeOffset.UtcNow;
        using (var process = Process.GetProcessById(victim))
        {
            // Process.Kill is SIGKILL on Linux: no shutdown hook, no flush, no goodbye to clients.
            process.Kill();
        }
        using (var down = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            down.CancelAfter(TimeSpan.FromSeconds(60));
            await system.App.ResourceNotifications.WaitForResourceAsync(resource,
                e => e.Snapshot.State?.Text is { } state && state != KnownResourceStates.Running, down.Token);
        }

        var started = await system.App.ResourceCommands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, ct);
        Assert.True(started.Success, $"restart {resource} after SIGKILL: {started.Message}");
        using (var up = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            up.CancelAfter(TimeSpan.FromSeconds(180));
            try
            {
                await system.App.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text == KnownResourceStates.Running, up.Token);
                await system.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, up.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                Assert.Fail($"{resource} did not come back healthy within 180 s of its restart after SIGKILL (cycle {cycle})");
            }
        }
        return new FaultWindow(cycle, resource, victim, killedAt, DateTimeOffset.UtcNow);
    }

    /// <summary>
    /// The process that is the server: the Erlang VM under RabbitMQ's launcher, the postmaster under
    /// PostgreSQL's (its backends are its children), and a project's process under <c>dotnet run</c>.
    /// </summary>
    private static int ServerProcess(string resource, int launcher)
    {
        var tree = Descendants(launcher);
        return resource switch
        {
            "messaging" => tree.Single(p => Command(p) == "beam.smp"),
            "postgres" => tree.Single(p => Command(p) == "postgres" && Command(Parent(p)) != "postgres"),
            _ => int.Parse(File.ReadAllText($"/proc/{launcher}/task/{launcher}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Single(), CultureInfo.InvariantCulture),
        };
    }

    private static List<int> Descendants(int root)
    {
        var found = new List<int>();
        var pending = new Queue<int>([root]);
        while (pending.TryDequeue(out var pid))
        {
            foreach (var task in SafeDirectories($"/proc/{pid}/task"))
            {
                var children = SafeRead(Path.Combine(task, "children"));
                foreach (var child in children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var id = int.Parse(child, CultureInfo.InvariantCulture);
                    found.Add(id);
                    pending.Enqueue(id);
                }
            }
        }
        return found;
    }

    private static string Command(int pid) => SafeRead($"/proc/{pid}/comm").Trim();

    /// <summary>The parent's pid, from /proc/pid/stat (its fourth field, after the parenthesised command).</summary>
    private static int Parent(int pid)
    {
        var stat = SafeRead($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 1 ? int.Parse(fields[1], CultureInfo.InvariantCulture) : 0;
    }

    private static string SafeRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static string[] SafeDirectories(string path)
    {
        try
        {
            return Directory.GetDirectories(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
