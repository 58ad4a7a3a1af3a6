using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace PBServices.EndToEnd.Tests.Evidence;

/// <summary>Who may call an operation or method, as its service publishes it (x-pb-authorization, BuildingBlocks EndpointAuthorization).</summary>
public sealed record DeclaredAuthorization(bool Anonymous, IReadOnlyList<string>? Roles, string Jurisdiction)
{
    public static DeclaredAuthorization? From(JsonElement owner, string extension = "x-pb-authorization") =>
        owner.TryGetProperty(extension, out var a) ? Read(a) : null;

    public static DeclaredAuthorization Read(JsonElement a) => new(
        a.GetProperty("anonymous").GetBoolean(),
        a.TryGetProperty("roles", out var roles) ? roles.EnumerateArray().Select(r => r.GetString()!).ToList() : null,
        a.TryGetProperty("jurisdiction", out var j) ? j.GetString()! : "anonymous");

    public bool OwnJurisdictionOnly => Jurisdiction == "own";

    /// <summary>Answers with the caller's own: to another jurisdiction's caller, nothing of the world's.</summary>
    public bool AnswersWithTheCallersOwn => Jurisdiction == "caller";

    /// <summary>Whether the principal may succeed: anonymous operations admit everyone; the others a role they name, and the process's jurisdiction (or the nation's) where they are scoped.</summary>
    /// <summary>The national intake is its own trust domain: only the tokens it issued are admitted there, and only the deployment's elsewhere.</summary>
    public bool Admits(Principal p, bool atTheIntake) =>
        Anonymous
        || (p.Token is not null && p.OfTheIntake == atTheIntake && Admits(p));

    private bool Admits(Principal p) =>
        Anonymous
        || (p.Role is not null && Roles?.Contains(p.Role) == true
            && (!OwnJurisdictionOnly || p.Jurisdiction is AuthorizationWorld.Own or Principal.National));
}

/// <summary>A caller of the matrix: anonymous, or a token of one role acting for one jurisdiction.</summary>
public sealed record Principal(string Name, string? Role, string? Jurisdiction, string? Token, bool OfTheIntake = false)
{
    public const string National = "PE";
    public static readonly Principal Anonymous = new("anonymous", null, null, null);
}

/// <summary>Requests generated from the OpenAPI documents and the .proto descriptors, with the world's real ids where a parameter names one.</summary>
public static class AuthorizationRequests
{
    private static readonly string Today = ProcessStory.TodayInLima.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The path with every parameter replaced by the world's id of that name (a fresh id where the world has none), and the query parameters the operation requires or the world names.</summary>
    public static string Url(string path, JsonElement operation, IReadOnlyDictionary<string, string> ids, ISet<string> unknown)
    {
        var url = new StringBuilder();
        foreach (var segment in path.Split('/'))
        {
            if (url.Length > 0 || segment.Length > 0)
            {
                url.Append('/');
            }
            if (segment.StartsWith('{') && segment.EndsWith('}'))
            {
                var name = segment[1..^1];
                if (!ids.TryGetValue(name, out var value))
                {
                    unknown.Add(name);
                    value = Guid.NewGuid().ToString();
                }
                url.Append(Uri.EscapeDataString(value));
            }
            else
            {
                url.Append(segment);
            }
        }
        var query = new List<string>();
        foreach (var p in Parameters(operation).Where(p => p.GetProperty("in").GetString() == "query"))
        {
            var name = p.GetProperty("name").GetString()!;
            var required = p.TryGetProperty("required", out var r) && r.GetBoolean();
            if (ids.TryGetValue(name, out var value) || required)
            {
                value ??= ScalarText(name, p.TryGetProperty("schema", out var s) ? s : default, ids);
                query.Add($"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}");
            }
        }
        return query.Count == 0 ? url.ToString() : $"{url}?{string.Join('&', query)}";
    }

    private static IEnumerable<JsonElement> Parameters(JsonElement operation) =>
        operation.TryGetProperty("parameters", out var ps) ? ps.EnumerateArray() : [];

    /// <summary>A body the endpoint can bind, from its request schema: JSON, a form, or a multipart form with a small PDF for each file.</summary>
    public static HttpContent? Body(JsonElement operation, JsonElement document, IReadOnlyDictionary<string, string> ids)
    {
        if (!operation.TryGetProperty("requestBody", out var body) || !body.TryGetProperty("content", out var content))
        {
            return null;
        }
        foreach (var media in content.EnumerateObject())
        {
            var schema = media.Value.TryGetProperty("schema", out var s) ? s : default;
            switch (media.Name)
            {
                case "application/json":
                    return new StringContent(Value(null, schema, document, ids, 0)?.ToJsonString() ?? "{}", Encoding.UTF8, "application/json");
                case "multipart/form-data":
                    var form = new MultipartFormDataContent();
                    foreach (var (name, property) in Properties(schema, document))
                    {
                        if (property.TryGetProperty("format", out var f) && f.GetString() == "binary")
                        {
                            var file = new ByteArrayContent(ProcessStory.Pdf("matriz de autorización"));
                            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
                            form.Add(file, name, "documento.pdf");
                        }
                        else
                        {
                            form.Add(new StringContent(ScalarText(name, property, ids)), name);
                        }
                    }
                    return form;
                case "application/x-www-form-urlencoded":
                    return new FormUrlEncodedContent(Properties(schema, document).Select(p => KeyValuePair.Create(p.Name, ScalarText(p.Name, p.Schema, ids))));
            }
        }
        return null;
    }

    private static JsonElement Resolve(JsonElement schema, JsonElement document)
    {
        for (var hops = 0; schema.ValueKind == JsonValueKind.Object && hops < 10; hops++)
        {
            if (schema.TryGetProperty("$ref", out var reference))
            {
                var name = reference.GetString()!.Split('/')[^1];
                schema = document.GetProperty("components").GetProperty("schemas").GetProperty(name);
            }
            else if ((schema.TryGetProperty("oneOf", out var options) || schema.TryGetProperty("anyOf", out options))
                     && options.EnumerateArray().FirstOrDefault(o => !IsNull(o)) is { ValueKind: JsonValueKind.Object } option)
            {
                schema = option;
            }
            else
            {
                break;
            }
        }
        return schema;
    }

    private static bool IsNull(JsonElement schema) =>
        schema.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null";

    private static IEnumerable<(string Name, JsonElement Schema)> Properties(JsonElement schema, JsonElement document)
    {
        var resolved = Resolve(schema, document);
        if (resolved.ValueKind == JsonValueKind.Object && resolved.TryGetProperty("properties", out var properties))
        {
            foreach (var p in properties.EnumerateObject())
            {
                yield return (p.Name, Resolve(p.Value, document));
            }
        }
    }

    private static string Type(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var t))
        {
            return schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out _) ? "object" : "string";
        }
        if (t.ValueKind == JsonValueKind.String)
        {
            return t.GetString()!;
        }
        var types = t.EnumerateArray().Select(x => x.GetString()!).Where(x => x != "null").ToList();
        return new[] { "object", "array", "integer", "number", "boolean", "string" }.FirstOrDefault(types.Contains) ?? "string";
    }

    private static JsonNode? Value(string? name, JsonElement schema, JsonElement document, IReadOnlyDictionary<string, string> ids, int depth)
    {
        schema = Resolve(schema, document);
        switch (Type(schema))
        {
            case "object":
                var o = new JsonObject();
                if (depth < 6)
                {
                    foreach (var (property, s) in Properties(schema, document))
                    {
                        o[property] = Value(property, s, document, ids, depth + 1);
                    }
                }
                return o;
            case "array":
                var item = schema.TryGetProperty("items", out var items) ? Value(name is null ? null : Singular(name), items, document, ids, depth + 1) : null;
                return item is null ? new JsonArray() : new JsonArray(item);
            case "integer":
                return name is not null && ids.TryGetValue(name, out var i) && int.TryParse(i, CultureInfo.InvariantCulture, out var n) ? n : Minimum(schema, 1);
            case "number":
                return Minimum(schema, 1);
            case "boolean":
                return true;
            default:
                return ScalarText(name, schema, ids);
        }
    }

    private static string Singular(string name) => name.EndsWith('s') ? name[..^1] : name;

    private static int Minimum(JsonElement schema, int fallback) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("minimum", out var m) && m.TryGetDecimal(out var d) ? (int)Math.Ceiling(d) : fallback;

    /// <summary>A scalar by what the field is: the world's id of that name, the first of an enum, a date, an id, or a short text.</summary>
    private static string ScalarText(string? name, JsonElement schema, IReadOnlyDictionary<string, string> ids)
    {
        if (name is not null && ids.TryGetValue(name, out var known))
        {
            return known;
        }
        if (schema.ValueKind == JsonValueKind.Object)
        {
            if (schema.TryGetProperty("enum", out var e) && e.EnumerateArray().FirstOrDefault(v => v.ValueKind == JsonValueKind.String) is { ValueKind: JsonValueKind.String } first)
            {
                return first.GetString()!;
            }
            switch (schema.TryGetProperty("format", out var f) ? f.GetString() : null)
            {
                case "uuid": return Guid.NewGuid().ToString();
                case "date": return Today;
                case "date-time": return DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
                case "time": return "09:00:00";
            }
            var type = Type(schema);
            if (type is "integer" or "number")
            {
                return Minimum(schema, 1).ToString(CultureInfo.InvariantCulture);
            }
            if (type == "boolean")
            {
                return "true";
            }
        }
        return "Matriz de autorización";
    }

    /// <summary>The method's request as protobuf bytes: every string field the world names an id for (process_id as processId), the jurisdiction, the fiscal year.</summary>
    public static byte[] GrpcRequest(MessageDescriptor input, IReadOnlyDictionary<string, string> ids)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        foreach (var field in input.Fields.InFieldNumberOrder())
        {
            if (!ids.TryGetValue(field.JsonName, out var value) || field.IsRepeated)
            {
                continue;
            }
            switch (field.FieldType)
            {
                case FieldType.String:
                    output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
                    output.WriteString(value);
                    break;
                case FieldType.Int32 or FieldType.Int64 when long.TryParse(value, CultureInfo.InvariantCulture, out var number):
                    output.WriteTag(field.FieldNumber, WireFormat.WireType.Varint);
                    output.WriteInt64(number);
                    break;
            }
        }
        output.Flush();
        return stream.ToArray();
    }
}
