using System.Text.RegularExpressions;

namespace PBServices.Deploy.Tests;

/// <summary>What AppHost/AppHost.cs runs, read from its source: the one list the manifests must match.</summary>
public sealed partial record AppHostModel(
    IReadOnlyDictionary<string, string> ServiceDatabases,
    IReadOnlyDictionary<string, string> ServiceProjects,
    IReadOnlyList<string> Projects,
    IReadOnlyList<string> Databases,
    IReadOnlyList<string> GatewayRoutes,
    string Postgres,
    string Messaging)
{
    /// <summary>Resources that exist only on a developer's machine, and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> DevelopmentOnly = new Dictionary<string, string>
    {
        ["demo-data"] = "loads the demo process through the gateway when PB:Demo=true",
    };

    public IEnumerable<string> DeployedProjects => Projects.Where(p => !DevelopmentOnly.ContainsKey(p));

    public static AppHostModel Read()
    {
        var source = File.ReadAllText(Path.Combine(Manifests.RepositoryRoot, "AppHost", "AppHost.cs"));
        var databaseVariables = DatabasePattern().Matches(source).ToDictionary(m => m.Groups["var"].Value, m => m.Groups["name"].Value);
        var services = ServicePattern().Matches(source).ToList();
        var variables = services.ToDictionary(m => m.Groups["var"].Value, m => m.Groups["name"].Value);
        var routes = RoutesPattern().Match(source).Groups["list"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new AppHostModel(
            services.ToDictionary(m => m.Groups["name"].Value, m => databaseVariables[m.Groups["db"].Value]),
            services.ToDictionary(m => m.Groups["name"].Value, m => m.Groups["project"].Value.Replace('_', '.')),
            services.Select(m => m.Groups["name"].Value).Concat(ProjectPattern().Matches(source).Select(m => m.Groups["name"].Value)).ToList(),
            databaseVariables.Values.ToList(),
            routes.Select(v => variables[v]).ToList(),
            PostgresPattern().Match(source).Groups["name"].Value,
            MessagingPattern().Match(source).Groups["name"].Value);
    }

    [GeneratedRegex(@"var (?<var>\w+) = postgres\.AddDatabase\(""(?<name>[^""]+)""\)")]
    private static partial Regex DatabasePattern();

    [GeneratedRegex(@"var (?<var>\w+) = builder\.AddPbService<Projects\.(?<project>\w+)>\(""(?<name>[^""]+)"", (?<db>\w+),")]
    private static partial Regex ServicePattern();

    [GeneratedRegex(@"builder\.AddProject<Projects\.\w+>\(""(?<name>[^""]+)""\)")]
    private static partial Regex ProjectPattern();

    [GeneratedRegex(@"\.WithRoutesTo\((?<list>[^)]*)\)")]
    private static partial Regex RoutesPattern();

    [GeneratedRegex(@"AddLocalPostgres\(""(?<name>[^""]+)""")]
    private static partial Regex PostgresPattern();

    [GeneratedRegex(@"AddLocalRabbitMQ\(""(?<name>[^""]+)""")]
    private static partial Regex MessagingPattern();

    /// <summary>
    /// The queues a service's consumers listen on, as MassTransit's kebab-case formatter names them with the
    /// service's name as prefix (BuildingBlocks' AddEventBus), read from the service's Program.cs.
    /// </summary>
    public IReadOnlyList<string> ConsumerQueues(string service)
    {
        var program = File.ReadAllText(Path.Combine(Manifests.RepositoryRoot, "src", ServiceProjects[service], "Program.cs"));
        return ConsumerPattern().Matches(program)
            .Select(m => $"{service}-{KebabPattern().Replace(m.Groups["type"].Value, "-$1").ToLowerInvariant()}")
            .ToList();
    }

    [GeneratedRegex(@"AddConsumer<(?<type>\w+)>")]
    private static partial Regex ConsumerPattern();

    [GeneratedRegex(@"(?<=[a-z0-9])([A-Z])")]
    private static partial Regex KebabPattern();
}
