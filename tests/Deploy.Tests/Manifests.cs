using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PBServices.Deploy.Tests;

/// <summary>The rendered overlays of deploy/kubernetes, as kubectl kustomize writes them, parsed into JSON objects.</summary>
public static partial class Manifests
{
    public static readonly string[] Overlays = ["district", "regional", "national"];

    public static string RepositoryRoot { get; } = FindRoot();

    public static string KubernetesDirectory => Path.Combine(RepositoryRoot, "deploy", "kubernetes");

    private static readonly Dictionary<string, IReadOnlyList<JsonObject>> Rendered = [];

    /// <summary>The objects an overlay renders to (a fresh copy each call, so a test may change them).</summary>
    public static IReadOnlyList<JsonObject> Render(string overlay)
    {
        IReadOnlyList<JsonObject> objects;
        lock (Rendered)
        {
            if (!Rendered.TryGetValue(overlay, out objects!))
            {
                objects = Parse(Kustomize(Path.Combine(KubernetesDirectory, "overlays", overlay)));
                Rendered[overlay] = objects;
            }
        }
        return objects.Select(o => (JsonObject)o.DeepClone()).ToList();
    }

    public static IEnumerable<JsonObject> OfKind(this IEnumerable<JsonObject> objects, string kind) =>
        objects.Where(o => (string?)o["kind"] == kind);

    public static string Name(this JsonObject o) => (string)o["metadata"]!["name"]!;

    public static JsonObject Named(this IEnumerable<JsonObject> objects, string kind, string name) =>
        objects.OfKind(kind).SingleOrDefault(o => o.Name() == name) ?? throw new Xunit.Sdk.XunitException($"no {kind} named {name}");

    /// <summary>A ConfigMap from a configMapGenerator: kustomize suffixes its name with a hash of its content.</summary>
    public static JsonObject Generated(this IEnumerable<JsonObject> objects, string name) =>
        objects.OfKind("ConfigMap").SingleOrDefault(o => o.Name().StartsWith(name + "-", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"no ConfigMap generated as {name}");

    private static string Kustomize(string directory)
    {
        var start = new ProcessStartInfo("kubectl", ["kustomize", directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("kubectl is not installed: run deploy/local/prerequisites.sh (it installs Debian's kubectl)");
        }
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {directory} failed ({process.ExitCode}): {error}{KustomizeVersionHint()}");
        }
        return output.Result;
    }

    /// <summary>The overlays use kustomize v5 fields (labels, patches with targets): an older kubectl is named as the cause.</summary>
    private static string KustomizeVersionHint()
    {
        var start = new ProcessStartInfo("kubectl", ["version", "--client"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var version = KustomizeVersionPattern().Match(text);
        return version.Success && int.Parse(version.Groups[1].Value, CultureInfo.InvariantCulture) >= 5
            ? ""
            : $" (this kubectl embeds {(version.Success ? "kustomize v" + version.Groups[1].Value : "no kustomize version it reports")}; the overlays need kustomize v5, kubectl 1.27 or later)";
    }

    [GeneratedRegex(@"Kustomize Version: v(\d+)")]
    private static partial Regex KustomizeVersionPattern();

    /// <summary>Multi-document YAML to JSON: plain scalars take their YAML 1.2 core type, quoted ones stay strings.</summary>
    public static IReadOnlyList<JsonObject> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => ToJson(d.RootNode)).OfType<JsonObject>().ToList();
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode s when s.Style is ScalarStyle.Plain => Plain(s.Value ?? ""),
        YamlScalarNode s => JsonValue.Create(s.Value ?? ""),
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
    };

    private static JsonNode? Plain(string value)
    {
        if (value is "" or "~" or "null") return null;
        if (value is "true") return JsonValue.Create(true);
        if (value is "false") return JsonValue.Create(false);
        if (IntegerPattern().IsMatch(value)) return JsonValue.Create(long.Parse(value, CultureInfo.InvariantCulture));
        if (FloatPattern().IsMatch(value)) return JsonValue.Create(double.Parse(value, CultureInfo.InvariantCulture));
        return JsonValue.Create(value);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PBServices.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("PBServices.sln not found above " + AppContext.BaseDirectory);
    }
}
