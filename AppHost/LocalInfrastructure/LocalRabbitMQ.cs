using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PBServices.LocalServers;

namespace PBServices.AppHost.LocalInfrastructure;

/// <summary>A private RabbitMQ node run from Debian's rabbitmq-server package, with its own name, ports and data.</summary>
public sealed class LocalRabbitMQResource(string name, ServerCommand command, LocalRabbitMQ node)
    : ExecutableResource(name, command.FileName, command.WorkingDirectory), IResourceWithConnectionString
{
    internal LocalRabbitMQ Node { get; } = node;

    public int Port => Node.Settings.AmqpPort;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Node.ConnectionString}");
}

public static class LocalRabbitMQExtensions
{
    public static IResourceBuilder<LocalRabbitMQResource> AddLocalRabbitMQ(this IDistributedApplicationBuilder builder, string name, ServerDataRoot data)
    {
        var baseDirectory = Path.Combine(data.Path, name);
        var managementPort = ServiceUser.FreeLoopbackPort();
        var node = new LocalRabbitMQ(new RabbitMQSettings
        {
            BaseDirectory = baseDirectory,
            NodeName = LocalRabbitMQ.NodeNameFor(name, baseDirectory),
            AmqpPort = ServiceUser.FreeLoopbackPort(),
            DistributionPort = ServiceUser.FreeLoopbackPort(),
            // The management UI lets an operator see the _error and pb-unrouted-events queues and move
            // messages back to their queue (shovel) for replay.
            ManagementPort = managementPort,
        });
        node.InitializeDataDirectory();
        var command = node.Command();
        var resource = new LocalRabbitMQResource(name, command, node);

        var healthKey = $"{name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthKey, async ct => await node.SpeaksAmqpAsync(ct)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("No AMQP Connection.Start yet"));

        return builder.AddResource(resource)
            .WithServerCommand(command)
            .WithEndpoint(name: "tcp", scheme: "tcp", port: node.Settings.AmqpPort, targetPort: node.Settings.AmqpPort, isProxied: false)
            .WithEndpoint(name: "management", scheme: "http", port: managementPort, targetPort: managementPort, isProxied: false)
            .WithUrlForEndpoint("management", u => u.DisplayText = "RabbitMQ management (guest/guest)")
            .WithHealthCheck(healthKey);
    }
}
