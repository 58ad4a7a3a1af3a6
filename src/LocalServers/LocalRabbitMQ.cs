using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace PBServices.LocalServers;

/// <summary>What differs between one local RabbitMQ node and another.</summary>
public sealed record RabbitMQSettings
{
    /// <summary>The node's folder: Mnesia data, logs, enabled plugins.</summary>
    public required string BaseDirectory { get; init; }

    /// <summary>See <see cref="LocalRabbitMQ.NodeNameFor"/>.</summary>
    public required string NodeName { get; init; }

    public required int AmqpPort { get; init; }

    /// <summary>Erlang distribution port (rabbitmqctl talks to the node through it).</summary>
    public required int DistributionPort { get; init; }

    /// <summary>
    /// Where the management UI listens (loopback only), with the shovel plugin an operator uses to move
    /// messages from an error queue back for replay. Null runs no plugins, which starts faster.
    /// </summary>
    public int? ManagementPort { get; init; }

    /// <summary>
    /// A port mapper (epmd) of the node's own on this port, so none is shared with other nodes; the one
    /// who stops the node stops it with <see cref="LocalRabbitMQ.StopPortMapper"/>. Null uses the
    /// machine's shared one (port 4369).
    /// </summary>
    public int? EpmdPort { get; init; }
}

/// <summary>A private RabbitMQ node run from Debian's rabbitmq-server package, with its own name, ports and data.</summary>
public sealed class LocalRabbitMQ(RabbitMQSettings settings)
{
    public const string User = "rabbitmq";
    private const string Server = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    public RabbitMQSettings Settings { get; } = settings;

    // The guest user is limited to loopback connections by RabbitMQ itself, which is all a local node serves.
    public string ConnectionString => $"amqp://guest:guest@127.0.0.1:{Settings.AmqpPort.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// A node name fixed per folder, so the node finds its own Mnesia data after a restart, and different
    /// between folders, so a test run's node never collides with a developer's running AppHost.
    /// </summary>
    public static string NodeNameFor(string prefix, string baseDirectory) =>
        $"pb-{prefix}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(baseDirectory)))[..8]}@localhost";

    /// <summary>Creates the node's folders and plugin list; data already there is kept.</summary>
    public void InitializeDataDirectory()
    {
        if (!File.Exists(Server))
        {
            throw new LocalServerException("RabbitMQ is not installed: run `bash deploy/local/prerequisites.sh` (or `apt-get install rabbitmq-server`)");
        }
        Directory.CreateDirectory(Path.Combine(Settings.BaseDirectory, "mnesia"));
        Directory.CreateDirectory(Path.Combine(Settings.BaseDirectory, "log"));
        File.WriteAllText(PluginsFile, Settings.ManagementPort is null
            ? "[].\n"
            : "[rabbitmq_management,rabbitmq_shovel,rabbitmq_shovel_management].\n");
        ServiceUser.GiveTo(Settings.BaseDirectory, User);
    }

    /// <summary>The command that runs the node in the foreground.</summary>
    public ServerCommand Command()
    {
        // Distribution on loopback only, like everything else the node serves.
        var erlangArguments = "-kernel inet_dist_use_interface {127,0,0,1}";
        if (Settings.ManagementPort is { } management)
        {
            erlangArguments += $" -rabbitmq_management tcp_config [{{port,{management.ToString(CultureInfo.InvariantCulture)}}},{{ip,\"127.0.0.1\"}}]";
        }
        var environment = new Dictionary<string, string>
        {
            // The Erlang cookie lives in HOME: the rabbitmq user's own when we are root, the developer's otherwise.
            ["HOME"] = ServiceUser.IsRoot ? "/var/lib/rabbitmq" : Environment.GetEnvironmentVariable("HOME") ?? Settings.BaseDirectory,
            ["RABBITMQ_NODENAME"] = Settings.NodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = Settings.AmqpPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = Settings.DistributionPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(Settings.BaseDirectory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(Settings.BaseDirectory, "log"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = PluginsFile,
            ["RABBITMQ_LOGS"] = "-",
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = erlangArguments,
        };
        foreach (var (key, value) in PortMapperEnvironment())
        {
            environment[key] = value;
        }
        return ServiceUser.Command(User, Server, [], environment, Settings.BaseDirectory);
    }

    /// <summary>Ready when the broker answers the AMQP 0-9-1 protocol header with a Connection.Start frame.</summary>
    public async Task<bool> SpeaksAmqpAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Settings.AmqpPort, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("AMQP\0\0\u0009\u0001"u8.ToArray(), cancellationToken);
            using var read = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            read.CancelAfter(TimeSpan.FromSeconds(3));
            var frame = new byte[1];
            return await stream.ReadAsync(frame, read.Token) == 1 && frame[0] == 1;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Stops the node's own port mapper, which the node started as a daemon and which outlives it; it
    /// exits when no node is registered. False when there was none to stop.
    /// </summary>
    public bool StopPortMapper()
    {
        if (Settings.EpmdPort is null)
        {
            return false;
        }
        try
        {
            ServiceUser.Run("epmd", ["-kill"], PortMapperEnvironment());
            return true;
        }
        catch (LocalServerException)
        {
            return false;
        }
    }

    private string PluginsFile => Path.Combine(Settings.BaseDirectory, "enabled_plugins");

    private Dictionary<string, string> PortMapperEnvironment() => Settings.EpmdPort is { } port
        ? new() { ["ERL_EPMD_PORT"] = port.ToString(CultureInfo.InvariantCulture), ["ERL_EPMD_ADDRESS"] = "127.0.0.1" }
        : [];
}
