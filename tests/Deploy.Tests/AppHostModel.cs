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
    string Messaging,
    IReadOnlyDictionary<string, string> ProjectDatabases,
    IReadOnlyDictionary<string, string> ProjectPaths,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> Environment)
{
    /// <summary>Resources that exist only on a developer's machine, and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> DevelopmentOnly = new Dictionary<string, string>
    {
        ["demo-data"] = "loads the demo process through the gateway when PB:Demo=true",
    };

    /// <summary>
    /// Resources the AppHost runs beside a deployment that belong to another deployment: overlays/national
    /// holds them and nothing else, the district and regional overlays never.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> NationalOnly = new Dictionary<string, string>
    {
        ["national-intake"] = "the Ministry's national intake: its own deployment, database and trust domain",
    };

    public IEnumerable<string> DeployedProjects => Projects.Where(p => !DevelopmentOnly.ContainsKey(p));

    /// <summary>What a district or a region deploys: every deployed project but the national ones.</summary>
    public IEnumerable<string> RegionalProjects => DeployedProjects.Where(p => !NationalOnly.ContainsKey(p));

    public IEnumerable<string> RegionalDatabases => Databases.Except(NationalProjects.Where(ProjectDatabases.ContainsKey).Select(p => ProjectDatabases[p]));

    public IEnumerable<string> NationalProjects => DeployedProjects.Where(NationalOnly.ContainsKey);

    public static AppHostModel Read()
    {
        var source = File.ReadAllText(Path.Combine(Manifests.RepositoryRoot, "AppHost", "AppHost.cs"));
        var databaseVariables = DatabasePattern().Matches(source).ToDictionary(m => m.Groups["var"].Value, m => m.Groups["name"].Value);
        var services = ServicePattern().Matches(source).ToList();
        var projects = NamedProjectPattern().Matches(source).ToList();
        var variables = services.Concat(projects).ToDictionary(m => m.Groups["var"].Value, m => m.Groups["name"].Value);
        var routes = RoutesPattern().Match(source).Groups["list"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

        // A resource's settings may follow in later statements that start with its variable ("ministrySubmission.WithEnvironment(…);").
        var statements = LineCommentPattern().Replace(source, "").Split(';');
        var environment = variables.Values.ToDictionary(n => n, _ => new Dictionary<string, string?>());
        var projectDatabases = services.ToDictionary(m => m.Groups["name"].Value, m => databaseVariables[m.Groups["db"].Value]);
        foreach (var statement in statements)
        {
            var subject = StatementSubjectPattern().Match(statement);
            if (!subject.Success || !variables.TryGetValue(subject.Groups["var"].Value, out var resource))
            {
                continue;
            }
            foreach (Match e in EnvironmentPattern().Matches(statement))
            {
                environment[resource][e.Groups["name"].Value] = e.Groups["literal"].Success ? e.Groups["literal"].Value : null;
            }
            foreach (Match r in ReferencePattern().Matches(statement))
            {
                if (databaseVariables.TryGetValue(r.Groups["var"].Value, out var database))
                {
                    projectDatabases.TryAdd(resource, database);
                }
            }
        }

        return new AppHostModel(
            services.ToDictionary(m => m.Groups["name"].Value, m => databaseVariables[m.Groups["db"].Value]),
            services.ToDictionary(m => m.Groups["name"].Value, m => m.Groups["project"].Value.Replace('_', '.')),
            services.Select(m => m.Groups["name"].Value).Concat(ProjectPattern().Matches(source).Select(m => m.Groups["name"].Value)).ToList(),
            databaseVariables.Values.ToList(),
            routes.Select(v => variables[v]).ToList(),
            PostgresPattern().Match(source).Groups["name"].Value,
            MessagingPattern().Match(source).Groups["name"].Value,
            projectDatabases,
            services.Concat(ProjectPattern().Matches(source)).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["project"].Value.Replace('_', '.')),
            environment.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, string?>)kv.Value));
    }

    [GeneratedRegex(@"var (?<var>\w+) = builder\.AddProject<Projects\.(?<project>\w+)>\(""(?<name>[^""]+)""\)")]
    private static partial Regex NamedProjectPattern();

    [GeneratedRegex(@"^\s*(?:var\s+)?(?<var>\w+)\s*(?:=|\.)")]
    private static partial Regex StatementSubjectPattern();

    [GeneratedRegex(@"\.WithEnvironment\(""(?<name>[^""]+)"",\s*(?:""(?<literal>[^""]*)""\s*\))?")]
    private static partial Regex EnvironmentPattern();

    [GeneratedRegex(@"\.WithReference\((?<var>\w+)\)")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"(?m)^\s*//[^\n]*")]
    private static partial Regex LineCommentPattern();

    [GeneratedRegex(@"var (?<var>\w+) = postgres\.AddDatabase\(""(?<name>[^""]+)""\)")]
    private static partial Regex DatabasePattern();

    [GeneratedRegex(@"var (?<var>\w+) = builder\.AddPbService<Projects\.(?<project>\w+)>\(""(?<name>[^""]+)"", (?<db>\w+),")]
    private static partial Regex ServicePattern();

    [GeneratedRegex(@"builder\.AddProject<Projects\.(?<project>\w+)>\(""(?<name>[^""]+)""\)")]
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
