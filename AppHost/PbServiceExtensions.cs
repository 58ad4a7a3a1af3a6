using PBServices.AppHost.LocalInfrastructure;

namespace PBServices.AppHost;

public static class PbServiceExtensions
{
    /// <summary>
    /// One PB service: its own database, the broker, the key that signs every token, healthy when its
    /// /health says so. It starts once its database and the broker are up.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddPbService<TProject>(this IDistributedApplicationBuilder builder, string name,
        IResourceBuilder<LocalPostgresDatabaseResource> database, IResourceBuilder<LocalRabbitMQResource> messaging,
        IResourceBuilder<ParameterResource> signingKey)
        where TProject : IProjectMetadata, new() =>
        builder.AddProject<TProject>(name)
            .WithReference(database).WaitFor(database)
            .WithReference(messaging).WaitFor(messaging)
            .WithEnvironment("Auth__SigningKey", signingKey)
            .WithHttpHealthCheck("/health");

    /// <summary>The gateway's routes: each service is reachable by name and must be up before the gateway is.</summary>
    public static IResourceBuilder<ProjectResource> WithRoutesTo(this IResourceBuilder<ProjectResource> gateway,
        params IResourceBuilder<ProjectResource>[] services)
    {
        foreach (var service in services)
        {
            gateway.WithReference(service).WaitFor(service);
        }
        return gateway;
    }
}
