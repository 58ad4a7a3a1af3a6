using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using PBServices.BuildingBlocks.Tests.Infrastructure;

// One PostgreSQL and one RabbitMQ for the whole run. Tests run one at a time: one of them stops the
// broker, which every other test would notice.
[assembly: AssemblyFixture(typeof(LocalBrokerAndDatabase))]
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
// The servers are started from Debian packages through setsid and runuser.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace PBServices.BuildingBlocks.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL cluster and a private RabbitMQ node, run from the machine's Debian packages
/// (the recipe of AppHost/LocalInfrastructure) in a temporary folder, on free loopback ports.
/// The broker can be stopped and started again on the same data, as an outage would.
/// </summary>
public sealed class LocalBrokerAndDatabase : IAsyncLifetime
{
    private const int SigInt = 2;
    private const int SigTerm = 15;
    private const string RabbitMqServer = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _root = Directory.CreateTempSubdirectory("pb-buildingblocks-tests-").FullName;
    private readonly int _postgresPort = FreePort();
    private readonly int _amqpPort = FreePort();
    private readonly int _distPort = FreePort();
    private readonly int _epmdPort = FreePort();
    private readonly string _nodeName = $"pb-tests-{Guid.NewGuid():N}@localhost";
    private readonly SemaphoreSlim _brokerLock = new(1, 1);
    private Process? _watchdog;
    private ServerProcess? _postgres;
    private ServerProcess? _rabbit;
    private int _databases;

    public string BrokerConnectionString => $"amqp://guest:guest@127.0.0.1:{_amqpPort}";

    private string ServerConnectionString => $"Host=127.0.0.1;Port={_postgresPort};Username=postgres;Timeout=5";

    public async ValueTask InitializeAsync()
    {
        // The servers run as their own users, who must be able to reach their folders inside ours.
        File.SetUnixFileMode(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        // Should this process be killed, the servers' own watchdogs kill them; this one then removes what they leave.
        _watchdog = Watchdog.Start($"sleep 2; ERL_EPMD_PORT={_epmdPort} epmd -kill >/dev/null 2>&1; rm -rf '{_root}'");
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
        await using var connection = new NpgsqlConnection($"{ServerConnectionString};Database=postgres");
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return $"{ServerConnectionString};Database={name}";
    }

    /// <summary>Stops the broker (SIGTERM to its process group, as an orchestrator would) and waits until it is gone.</summary>
    public async Task StopBrokerAsync()
    {
        await _brokerLock.WaitAsync();
        try
        {
            if (_rabbit is { } rabbit)
            {
                _rabbit = null;
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
            if (_rabbit is not null)
            {
                return;
            }
            var baseDir = Path.Combine(_root, "rabbitmq");
            if (!Directory.Exists(baseDir))
            {
                if (!File.Exists(RabbitMqServer))
                {
                    throw new InvalidOperationException("RabbitMQ not found: install the rabbitmq-server package");
                }
                Directory.CreateDirectory(Path.Combine(baseDir, "mnesia"));
                Directory.CreateDirectory(Path.Combine(baseDir, "log"));
                OsUser.Chown(baseDir, "rabbitmq");
            }

            var environment = new Dictionary<string, string>
            {
                ["HOME"] = OsUser.IsRoot ? "/var/lib/rabbitmq" : Environment.GetEnvironmentVariable("HOME") ?? baseDir,
                ["RABBITMQ_NODENAME"] = _nodeName,
                ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
                ["RABBITMQ_NODE_PORT"] = Invariant(_amqpPort),
                ["RABBITMQ_DIST_PORT"] = Invariant(_distPort),
                ["RABBITMQ_MNESIA_BASE"] = Path.Combine(baseDir, "mnesia"),
                ["RABBITMQ_LOG_BASE"] = Path.Combine(baseDir, "log"),
                ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(baseDir, "enabled_plugins"),
                ["RABBITMQ_LOGS"] = "-",
                ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
                // A port mapper of our own, so none is left behind and none is shared with other nodes.
                ["ERL_EPMD_PORT"] = Invariant(_epmdPort),
                ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            };
            var rabbit = ServerProcess.Start("rabbitmq", "rabbitmq", RabbitMqServer, [], environment, Path.Combine(_root, "rabbitmq.log"));
            _rabbit = rabbit;
            await WaitUntilReadyAsync(rabbit, ct => SpeaksAmqpAsync(_amqpPort, ct));
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
            if (_postgres is { } postgres)
            {
                _postgres = null;
                await postgres.StopAsync(SigInt, TimeSpan.FromSeconds(10)); // fast shutdown
            }
        }, failures);
        await StopQuietly(() =>
        {
            // The node started this port mapper as a daemon; it exits when asked and no node is registered.
            try
            {
                OsUser.Run("epmd", ["-kill"], new Dictionary<string, string> { ["ERL_EPMD_PORT"] = Invariant(_epmdPort) });
            }
            catch (InvalidOperationException)
            {
                // None was started: the broker never got that far.
            }
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
        var binDir = OsUser.Run("pg_config", "--bindir");
        var dataDir = Path.Combine(_root, "postgres");
        var socketDir = Path.Combine(_root, "postgres-socket");
        Directory.CreateDirectory(dataDir);
        Directory.CreateDirectory(socketDir);
        OsUser.Chown(dataDir, "postgres");
        OsUser.Chown(socketDir, "postgres");
        // Loopback only, thrown away after the run: trust authentication keeps the fixture simple.
        string[] initdb = [.. OsUser.As("postgres", Path.Combine(binDir, "initdb")),
            "-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"];
        OsUser.Run(initdb[0], initdb[1..]);

        var postgres = ServerProcess.Start("postgres", "postgres", Path.Combine(binDir, "postgres"),
            ["-D", dataDir, "-p", Invariant(_postgresPort), "-k", socketDir, "-c", "listen_addresses=127.0.0.1",
                // Durability across a crash of this throwaway server is not under test; speed is welcome.
                "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=300"],
            new Dictionary<string, string>(), Path.Combine(_root, "postgres.log"));
        _postgres = postgres;
        await WaitUntilReadyAsync(postgres, async ct =>
        {
            try
            {
                await using var connection = new NpgsqlConnection($"{ServerConnectionString};Database=postgres;Pooling=false");
                await connection.OpenAsync(ct);
                return true;
            }
            catch (NpgsqlException)
            {
                return false;
            }
        });
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

    /// <summary>Ready when the broker answers the AMQP 0-9-1 protocol header with a Connection.Start frame.</summary>
    private static async Task<bool> SpeaksAmqpAsync(int port, CancellationToken ct)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, ct);
            var stream = client.GetStream();
            await stream.WriteAsync("AMQP\0\0\u0009\u0001"u8.ToArray(), ct);
            using var read = CancellationTokenSource.CreateLinkedTokenSource(ct);
            read.CancelAfter(TimeSpan.FromSeconds(3));
            var frame = new byte[1];
            return await stream.ReadAsync(frame, read.Token) == 1 && frame[0] == 1;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
