using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace PBServices.Deploy.Tests;

/// <summary>
/// Validates an object against the schema of its apiVersion and kind: Kubernetes' own (OpenAPI v3 of the
/// release in schemas/README.md) or the operator's CRD. Unknown fields are errors, as with kubectl's
/// --validate=strict: an object whose schema lists its properties and does not preserve unknown fields
/// accepts no others.
/// </summary>
public static class Schemas
{
    private const string ObjectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    private static readonly Lazy<Dictionary<string, JsonSchema>> ByKind = new(Load);

    public static IReadOnlyCollection<string> Kinds => ByKind.Value.Keys;

    /// <summary>Every problem found, each as "path: message"; none when the object is valid.</summary>
    public static IReadOnlyList<string> Validate(JsonObject manifest)
    {
        var key = $"{(string?)manifest["apiVersion"]}/{(string?)manifest["kind"]}";
        if (!ByKind.Value.TryGetValue(key, out var schema))
        {
            return [$"no schema for {key}: add it to deploy/kubernetes/schemas (extract.py)"];
        }
        var result = schema.Evaluate(JsonSerializer.SerializeToElement(manifest), new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }
        return (result.Details ?? [result])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value} ({d.EvaluationPath})"))
            .Distinct()
            .ToList();
    }

    private static Dictionary<string, JsonSchema> Load()
    {
        var dir = Path.Combine(Manifests.KubernetesDirectory, "schemas");
        var kubernetes = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "kubernetes.json")))!.AsObject();
        var definitions = new JsonObject();
        foreach (var (name, schema) in kubernetes["schemas"]!.AsObject())
        {
            definitions[name] = Strict(Rewrite(schema!.DeepClone()));
        }

        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var result = new Dictionary<string, JsonSchema>();
        foreach (var (key, root) in kubernetes["kinds"]!.AsObject())
        {
            result[key] = Build(key, new JsonObject { ["$ref"] = $"#/$defs/{(string)root!}" }, definitions, options);
        }
        var crds = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "crds.json")))!.AsObject();
        foreach (var (key, schema) in crds)
        {
            var root = Strict(schema!.DeepClone()).AsObject();
            // A CRD's schema leaves metadata open; the API server checks it as every object's metadata.
            root["properties"]!["metadata"] = new JsonObject { ["$ref"] = $"#/$defs/{ObjectMeta}" };
            // CRDs' keys are group/version/Kind; objects say apiVersion group/version.
            result[key] = Build(key, root, definitions, options);
        }
        return result;
    }

    private static JsonSchema Build(string key, JsonObject root, JsonObject definitions, BuildOptions options)
    {
        var slash = key.LastIndexOf('/');
        var (apiVersion, kind) = (key[..slash], key[(slash + 1)..]);
        var document = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["allOf"] = new JsonArray(
                root,
                new JsonObject
                {
                    ["required"] = new JsonArray("apiVersion", "kind", "metadata"),
                    ["properties"] = new JsonObject
                    {
                        ["apiVersion"] = new JsonObject { ["const"] = apiVersion },
                        ["kind"] = new JsonObject { ["const"] = kind },
                    },
                }),
            ["$defs"] = definitions.DeepClone(),
        };
        return JsonSchema.Build(JsonSerializer.SerializeToElement(document), options, new Uri($"https://pb-services.invalid/schemas/{key}"));
    }

    /// <summary>OpenAPI's component references become references into this document's $defs.</summary>
    private static JsonNode Rewrite(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o.ToList())
                {
                    if (k == "$ref" && v is JsonValue r && r.TryGetValue(out string? target))
                    {
                        o[k] = target.Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
                    }
                    else if (v is not null)
                    {
                        Rewrite(v);
                    }
                }
                break;
            case JsonArray a:
                foreach (var v in a)
                {
                    if (v is not null) Rewrite(v);
                }
                break;
        }
        return node;
    }

    private static JsonNode Strict(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, v) in o.ToList())
                {
                    if (v is not null) Strict(v);
                }
                var preserves = o["x-kubernetes-preserve-unknown-fields"] is JsonValue p && p.TryGetValue(out bool b) && b;
                if (o.ContainsKey("properties") && !o.ContainsKey("additionalProperties") && !preserves)
                {
                    o["additionalProperties"] = false;
                }
                break;
            case JsonArray a:
                foreach (var v in a)
                {
                    if (v is not null) Strict(v);
                }
                break;
        }
        return node;
    }
}
