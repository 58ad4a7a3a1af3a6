using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace PBServices.AppHost.LocalInfrastructure;

/// <summary>A PostgreSQL server run from the machine's own binaries (Debian's postgresql package).</summary>
public sealed class LocalPostgresResource(string name, string command, string workingDirectory, int port, string password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public int Port { get; } = port;
    internal string Password { get; } = password;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Host=127.0.0.1;Port={Port.ToString(System.Globalization.CultureInfo.InvariantCulture)};Username=postgres;Password={Password}");
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
    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name, string dataRoot)
    {
        var binDir = LocalUsers.Output("pg_config", "--bindir")
            ?? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).OrderDescending().FirstOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL binaries not found: install the postgresql package (see README)");
        var dataDir = Path.Combine(dataRoot, name);
        var socketDir = Path.Combine(dataRoot, $"{name}-socket");
        // Local, loopback-only server: the password only keeps other local users out of the data.
        var password = builder.Configuration["Parameters:postgres-password"] ?? "pb-local-dev";
        InitializeDataDirectory(binDir, dataRoot, dataDir, socketDir, password);

        var port = LocalPorts.Free();
        var (command, prefix) = LocalUsers.As("postgres", Path.Combine(binDir, "postgres"));
        var resource = new LocalPostgresResource(name, command, dataRoot, port, password);
        var healthKey = $"{name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthKey, ct => CanConnectAsync(resource, "postgres", ct));

        // Once the server answers, create the services' databases and mark them running for the dashboard.
        builder.Eventing.Subscribe<ResourceReadyEvent>(resource, async (e, ct) =>
        {
            var notifications = e.Services.GetRequiredService<ResourceNotificationService>();
            await using var conn = new NpgsqlConnection($"{await resource.ConnectionStringExpression.GetValueAsync(ct)};Database=postgres");
            await conn.OpenAsync(ct);
            foreach (var db in builder.Resources.OfType<LocalPostgresDatabaseResource>().Where(d => d.Parent == resource))
            {
                await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", conn) { Parameters = { new() { Value = db.DatabaseName } } };
                if (await exists.ExecuteScalarAsync(ct) is null)
                {
                    // Names come from the AppHost code, never from input.
                    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{db.DatabaseName}\"", conn);
                    await create.ExecuteNonQueryAsync(ct);
                }
                await notifications.PublishUpdateAsync(db, s => s with { State = KnownResourceStates.Running });
            }
        });

        return builder.AddResource(resource)
            .WithArgs([.. prefix, "-D", dataDir, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", socketDir, "-c", "listen_addresses=127.0.0.1"])
            .WithEndpoint(name: "tcp", scheme: "tcp", port: port, targetPort: port, isProxied: false)
            .WithHealthCheck(healthKey);
    }

    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(this IResourceBuilder<LocalPostgresResource> server, string name)
    {
        var database = new LocalPostgresDatabaseResource(name, name, server.Resource);
        var healthKey = $"{name}-ready";
        server.ApplicationBuilder.Services.AddHealthChecks().AddAsyncCheck(healthKey, ct => CanConnectAsync(server.Resource, name, ct));
        return server.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot { ResourceType = "PostgresDatabase", Properties = [], State = KnownResourceStates.Waiting })
            .WithParentRelationship(server)
            .WithHealthCheck(healthKey);
    }

    private static async Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CanConnectAsync(LocalPostgresResource server, string database, CancellationToken ct)
    {
        try
        {
            await using var conn = new NpgsqlConnection($"{await server.ConnectionStringExpression.GetValueAsync(ct)};Database={database};Timeout=3");
            await conn.OpenAsync(ct);
            return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy(e.Message);
        }
    }

    private static void InitializeDataDirectory(string binDir, string dataRoot, string dataDir, string socketDir, string password)
    {
        Directory.CreateDirectory(dataRoot);
        Directory.CreateDirectory(socketDir);
        LocalUsers.Chown(socketDir, "postgres");
        if (File.Exists(Path.Combine(dataDir, "PG_VERSION")))
        {
            return;
        }
        Directory.CreateDirectory(dataDir);
        LocalUsers.Chown(dataDir, "postgres");
        var pwFile = Path.Combine(socketDir, "pwfile");
        File.WriteAllText(pwFile, password);
        LocalUsers.Chown(pwFile, "postgres");
        var (command, prefix) = LocalUsers.As("postgres", Path.Combine(binDir, "initdb"));
        LocalUsers.Run(command, [.. prefix, "-D", dataDir, "-U", "postgres", "--pwfile", pwFile, "--auth-host=scram-sha-256", "--auth-local=peer", "-E", "UTF8", "--locale=C.UTF-8"]);
        File.Delete(pwFile);
    }
}
