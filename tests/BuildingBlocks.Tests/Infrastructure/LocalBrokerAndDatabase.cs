using System.Diagnostics;
using System.Globalization;
using PBServices.BuildingBlocks.Tests.Infrastructure;
using PBServices.LocalServers;

// One PostgreSQL and one RabbitMQ for the whole run. Tests run one at a time: one of them stops the
// broker, which every other test would notice.
[assembly: AssemblyFixture(typeof(LocalBrokerAndDatabase))]
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
// The servers are started from Debian packages through setsid and runuser.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace PBServices.BuildingBlocks.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL cluster and a private RabbitMQ node, run from the machine's Debian packages
/// by the recipe the AppHost also uses (src/LocalServers), in a temporary folder, on free loopback ports.
/// The broker can be stopped and started again on the same data, as an outage would.
/// </summary>
public sealed class LocalBrokerAndDatabase : IAsyncLifetime
{
    private const int SigInt = 2;
    private const int SigTerm = 15;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _root = Directory.CreateTempSubdirectory("pb-buildingblocks-tests-").FullName;
    private readonly int _epmdPort = ServiceUser.FreeLoopbackPort();
    private readonly LocalPostgres _postgres;
    private readonly LocalRabbitMQ _rabbit;
    private readonly SemaphoreSlim _brokerLock = new(1, 1);
    private Process? _watchdog;
    private ServerProcess? _postgresProcess;
    private ServerProcess? _rabbitProcess;
    private int _databases;

    public LocalBrokerAndDatabase()
    {
        _postgres = new LocalPostgres(new PostgresSettings
        {
            DataDirectory = Path.Combine(_root, "postgres"),
            SocketDirectory = Path.Combine(_root, "postgres-socket"),
            Port = ServiceUser.FreeLoopbackPort(),
            // Loopback only and thrown away after the run: trust authentication, and no crash durability
            // (not under test here; speed is welcome).
            Password = null,
            Durable = false,
            Settings = new Dictionary<string, string> { ["max_connections"] = "300" },
        });
        var rabbitDirectory = Path.Combine(_root, "rabbitmq");
        _rabbit = new LocalRabbitMQ(new RabbitMQSettings
        {
            BaseDirectory = rabbitDirectory,
            NodeName = LocalRabbitMQ.NodeNameFor("tests", rabbitDirectory),
            AmqpPort = ServiceUser.FreeLoopbackPort(),
            DistributionPort = ServiceUser.FreeLoopbackPort(),
            // A port mapper of our own, so none is left behind and none is shared with other nodes.
            EpmdPort = _epmdPort,
        });
    }

    public string BrokerConnectionString => _rabbit.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        // The servers run as their own users, who must be able to reach their folders inside ours.
        File.SetUnixFileMode(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        // Should this process be killed, the servers' own watchdogs kill them; this one then removes what they leave.
        _watchdog = Watchdog.Start($"sleep 2; ERL_EPMD_PORT={_epmdPort.ToString(CultureInfo.InvariantCulture)} epmd -kill >/dev/null 2>&1; rm -rf '{_root}'");
        try
        {
            await Task.WhenAll(StartPostgresAsync(), StartBrokerAsync());
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A fresh, empty database on the shared server; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}";
        await _postgres.EnsureDatabaseAsync(name, CancellationToken.None);
        return $"{_postgres.ConnectionString(name)};Timeout=5";
    }

    /// <summary>Stops the broker (SIGTERM to its process group, as an orchestrator would) and waits until it is gone.</summary>
    public async Task StopBrokerAsync()
    {
        await _brokerLock.WaitAsync();
        try
        {
            if (_rabbitProcess is { } rabbit)
            {
                _rabbitProcess = null;
                await rabbit.StopAsync(SigTerm, TimeSpan.FromSeconds(15));
            }
        }
        finally
        {
            _brokerLock.Release();
        }
    }

    /// <summary>Starts the broker on its existing data (same node name, ports, queues) and waits until it speaks AMQP.</summary>
    public async Task StartBrokerAsync()
    {
        await _brokerLock.WaitAsync();
        try
        {
            if (_rabbitProcess is not null)
            {
                return;
            }
            _rabbit.InitializeDataDirectory();
            var rabbit = ServerProcess.Start("rabbitmq", _rabbit.Command(), Path.Combine(_root, "rabbitmq.log"));
            _rabbitProcess = rabbit;
            await WaitUntilReadyAsync(rabbit, _rabbit.SpeaksAmqpAsync);
        }
        finally
        {
            _brokerLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_watchdog is { } watchdog)
        {
            _watchdog = null;
            Watchdog.Stop(watchdog);
        }
        var failures = new List<Exception>();
        await StopQuietly(() => StopBrokerAsync(), failures);
        await StopQuietly(async () =>
        {
            if (_postgresProcess is { } postgres)
            {
                _postgresProcess = null;
                await postgres.StopAsync(SigInt, TimeSpan.FromSeconds(10)); // fast shutdown
            }
        }, failures);
        await StopQuietly(() =>
        {
            // False when none was started: the broker never got that far.
            _rabbit.StopPortMapper();
            return Task.CompletedTask;
        }, failures);
        await StopQuietly(() =>
        {
            Directory.Delete(_root, recursive: true);
            return Task.CompletedTask;
        }, failures);
        _brokerLock.Dispose();
        if (failures.Count > 0)
        {
            throw new AggregateException("Cleaning up the local servers failed", failures);
        }
    }

    private async Task StartPostgresAsync()
    {
        _postgres.InitializeDataDirectory();
        var postgres = ServerProcess.Start("postgres", _postgres.Command(), Path.Combine(_root, "postgres.log"));
        _postgresProcess = postgres;
        await WaitUntilReadyAsync(postgres, ct => _postgres.AcceptsConnectionsAsync("postgres", ct));
    }

    private static async Task WaitUntilReadyAsync(ServerProcess server, Func<CancellationToken, Task<bool>> ready)
    {
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(StartTimeout);
        while (!await ready(timeout.Token))
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"{server.Name} exited while starting; log {server.LogPath}:\n{server.LogTail()}");
            }
            if (clock.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"{server.Name} not ready after {StartTimeout.TotalSeconds}s; log {server.LogPath}:\n{server.LogTail()}");
            }
            await Task.Delay(200, CancellationToken.None);
        }
    }

    private static async Task StopQuietly(Func<Task> stop, List<Exception> failures)
    {
        try
        {
            await stop();
        }
        catch (Exception e)
        {
            failures.Add(e);
        }
    }
}
