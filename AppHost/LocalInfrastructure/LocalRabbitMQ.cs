using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PBServices.AppHost.LocalInfrastructure;

/// <summary>A private RabbitMQ node run from Debian's rabbitmq-server package, with its own name, ports and data.</summary>
public sealed class LocalRabbitMQResource(string name, string command, string workingDirectory, int port)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public int Port { get; } = port;

    // The guest user is limited to loopback connections by RabbitMQ itself, which is all a local node serves.
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"amqp://guest:guest@127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");
}

public static class LocalRabbitMQExtensions
{
    private const string RabbitMqServer = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    public static IResourceBuilder<LocalRabbitMQResource> AddLocalRabbitMQ(this IDistributedApplicationBuilder builder, string name, string dataRoot)
    {
        if (!File.Exists(RabbitMqServer))
        {
            throw new InvalidOperationException("RabbitMQ not found: install the rabbitmq-server package (see README)");
        }
        var baseDir = Path.Combine(dataRoot, name);
        var mnesia = Path.Combine(baseDir, "mnesia");
        var logs = Path.Combine(baseDir, "log");
        Directory.CreateDirectory(mnesia);
        Directory.CreateDirectory(logs);
        LocalUsers.Chown(baseDir, "rabbitmq");

        var port = LocalPorts.Free();
        var distPort = LocalPorts.Free();
        var managementPort = LocalPorts.Free();
        // The management UI lets an operator see the _error and pb-unrouted-events queues and move
        // messages back to their queue (shovel) for replay.
        var pluginsFile = Path.Combine(baseDir, "enabled_plugins");
        File.WriteAllText(pluginsFile, "[rabbitmq_management,rabbitmq_shovel,rabbitmq_shovel_management].\n");
        LocalUsers.Chown(pluginsFile, "rabbitmq");
        var (command, prefix) = LocalUsers.As("rabbitmq", RabbitMqServer);
        var resource = new LocalRabbitMQResource(name, command, baseDir, port);
        // The node name is fixed per data folder, so the node finds its own Mnesia data after a restart,
        // and differs between folders, so a test run's node never collides with a developer's.
        var folderTag = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(baseDir)))[..8];
        var nodeName = $"pb-{name}-{folderTag}@localhost";

        var healthKey = $"{name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthKey, ct => AmqpHandshakeAsync(port, ct));

        return builder.AddResource(resource)
            .WithArgs(prefix)
            .WithEnvironment("HOME", LocalUsers.IsRoot ? "/var/lib/rabbitmq" : Environment.GetEnvironmentVariable("HOME") ?? baseDir)
            .WithEnvironment("RABBITMQ_NODENAME", nodeName)
            .WithEnvironment("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
            .WithEnvironment("RABBITMQ_NODE_PORT", port.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_DIST_PORT", distPort.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_MNESIA_BASE", mnesia)
            .WithEnvironment("RABBITMQ_LOG_BASE", logs)
            .WithEnvironment("RABBITMQ_ENABLED_PLUGINS_FILE", pluginsFile)
            .WithEnvironment("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS",
                $"-rabbitmq_management tcp_config [{{port,{managementPort.ToString(CultureInfo.InvariantCulture)}}},{{ip,\"127.0.0.1\"}}]")
            .WithEnvironment("RABBITMQ_LOGS", "-")
            .WithEndpoint(name: "tcp", scheme: "tcp", port: port, targetPort: port, isProxied: false)
            .WithEndpoint(name: "management", scheme: "http", port: managementPort, targetPort: managementPort, isProxied: false)
            .WithUrlForEndpoint("management", u => u.DisplayText = "RabbitMQ management (guest/guest)")
            .WithHealthCheck(healthKey);
    }

    /// <summary>Ready when the broker answers the AMQP 0-9-1 protocol header with a Connection.Start frame.</summary>
    private static async Task<HealthCheckResult> AmqpHandshakeAsync(int port, CancellationToken ct)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, ct);
            var stream = client.GetStream();
            await stream.WriteAsync("AMQP\0\0\u0009\u0001"u8.ToArray(), ct);
            var frame = new byte[1];
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var read = await stream.ReadAsync(frame, timeout.Token);
            return read == 1 && frame[0] == 1 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("No AMQP Connection.Start");
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }
}
