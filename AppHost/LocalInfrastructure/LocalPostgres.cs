using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PBServices.LocalServers;

namespace PBServices.AppHost.LocalInfrastructure;

/// <summary>A PostgreSQL server run from the machine's own binaries (Debian's postgresql package).</summary>
public sealed class LocalPostgresResource(string name, ServerCommand command, LocalPostgres server)
    : ExecutableResource(name, command.FileName, command.WorkingDirectory), IResourceWithConnectionString
{
    internal LocalPostgres Server { get; } = server;

    public int Port => Server.Settings.Port;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Server.ServerConnectionString}");
}

/// <summary>One service's database on the local server; created when the server is ready.</summary>
public sealed class LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresResource>, IResourceWithConnectionString
{
    public LocalPostgresResource Parent { get; } = parent;
    public string DatabaseName { get; } = databaseName;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}

public static class LocalPostgresExtensions
{
    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name, ServerDataRoot data)
    {
        var server = new LocalPostgres(new PostgresSettings
        {
            DataDirectory = Path.Combine(data.Path, name),
            SocketDirectory = Path.Combine(data.Path, $"{name}-socket"),
            Port = ServiceUser.FreeLoopbackPort(),
            // Local, loopback-only server: the password only keeps other local users out of the data.
            Password = builder.Configuration["Parameters:postgres-password"] ?? "pb-local-dev",
        });
        server.InitializeDataDirectory();
        var command = server.Command();
        var resource = new LocalPostgresResource(name, command, server);
        var healthKey = $"{name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthKey, ct => AcceptsConnectionsAsync(server, "postgres", ct));

        // Once the server answers, create the services' databases and mark them running for the dashboard.
        builder.Eventing.Subscribe<ResourceReadyEvent>(resource, async (e, ct) =>
        {
            var notifications = e.Services.GetRequiredService<ResourceNotificationService>();
            foreach (var db in builder.Resources.OfType<LocalPostgresDatabaseResource>().Where(d => d.Parent == resource))
            {
                await server.EnsureDatabaseAsync(db.DatabaseName, ct);
                await notifications.PublishUpdateAsync(db, s => s with { State = KnownResourceStates.Running });
            }
        });

        return builder.AddResource(resource)
            .WithServerCommand(command)
            .WithEndpoint(name: "tcp", scheme: "tcp", port: server.Settings.Port, targetPort: server.Settings.Port, isProxied: false)
            .WithHealthCheck(healthKey);
    }

    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(this IResourceBuilder<LocalPostgresResource> server, string name)
    {
        var database = new LocalPostgresDatabaseResource(name, name, server.Resource);
        var healthKey = $"{name}-ready";
        server.ApplicationBuilder.Services.AddHealthChecks().AddAsyncCheck(healthKey, ct => AcceptsConnectionsAsync(server.Resource.Server, name, ct));
        return server.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot { ResourceType = "PostgresDatabase", Properties = [], State = KnownResourceStates.Waiting })
            .WithParentRelationship(server)
            .WithHealthCheck(healthKey);
    }

    private static async Task<HealthCheckResult> AcceptsConnectionsAsync(LocalPostgres server, string database, CancellationToken ct) =>
        await server.AcceptsConnectionsAsync(database, ct)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"PostgreSQL does not accept connections to {database} yet");
}
