using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PBServices.Voting.Bench;

/// <summary>
/// The whole system as the AppHost runs it (local PostgreSQL and RabbitMQ, five services, the gateway, the
/// portal), on a fresh data folder, without the demo. The services run in the configuration this harness
/// was built in, so a Release build measures Release services.
/// </summary>
public sealed class BenchSystem : IAsyncDisposable
{
    private readonly string _dataRoot;
    private readonly DistributedApplication _app;

    private BenchSystem(string dataRoot, DistributedApplication app, string deliberationDb)
    {
        _dataRoot = dataRoot;
        _app = app;
        DeliberationDb = deliberationDb;
    }

    public string DeliberationDb { get; }

    public Uri GatewayAddress => _app.GetEndpoint("gateway", "http");

    /// <summary>Deliberation's own address: the same ballots sent past the gateway show what the gateway costs.</summary>
    public Uri DeliberationAddress => _app.GetEndpoint("deliberation", "http");

    /// <summary>Registration's own address: setup mints tokens there, past the gateway's per-address limit on anonymous requests.</summary>
    public Uri RegistrationAddress => _app.GetEndpoint("registration", "http");

    public static async Task<BenchSystem> StartAsync(CancellationToken ct)
    {
        var dataRoot = Path.Combine(Path.GetTempPath(), $"pb-bench-{Guid.NewGuid():N}");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--LocalData:Root={dataRoot}", "--PB:Demo=false"], ct);
        // The services' own output stays in their resources; the harness prints its table. Category filters, since
        // the AppHost's configuration sets the default level.
        builder.Services.AddLogging(l => l
            .AddFilter("PBServices.AppHost.Resources", LogLevel.Warning)
            .AddFilter("Aspire.Hosting", LogLevel.Error)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("System.Net.Http", LogLevel.Warning));
        var app = await builder.BuildAsync(ct);
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(ct);
        startup.CancelAfter(TimeSpan.FromMinutes(5));
        await app.StartAsync(startup.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", startup.Token);
        var db = await app.GetConnectionStringAsync("deliberationdb", ct) ?? throw new InvalidOperationException("No deliberationdb connection string");
        return new BenchSystem(dataRoot, app, db);
    }

    /// <summary>The service's own process (the AppHost starts it under `dotnet run`, as its only child).</summary>
    public async Task<int> ServiceProcessIdAsync(string resource, CancellationToken ct)
    {
        var running = await _app.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text == KnownResourceStates.Running, ct);
        var launcher = int.Parse(running.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value!.ToString()!, CultureInfo.InvariantCulture);
        var children = File.ReadAllText($"/proc/{launcher}/task/{launcher}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return children.Length == 1 ? int.Parse(children[0], CultureInfo.InvariantCulture) : launcher;
    }

    /// <summary>
    /// The address the process's Kestrel itself listens on. Locally every endpoint the AppHost publishes goes through
    /// its proxy (another process); sending to the gateway's own port keeps one proxy hop on both paths (the gateway's
    /// hop to deliberation, and the client's to deliberation), so their difference is the gateway alone.
    /// </summary>
    public static Uri KestrelAddress(int pid, string endpoint) =>
        new(File.ReadAllText($"/proc/{pid}/environ").Split('\0')
            .Single(v => v.StartsWith($"Kestrel__Endpoints__{endpoint}__Url=", StringComparison.Ordinal)).Split('=', 2)[1]);

    /// <summary>The command line a process was started with, arguments separated by spaces.</summary>
    public static string CommandLine(int pid) => File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataRoot, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the folder is under the system temp directory.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
