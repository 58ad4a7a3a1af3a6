using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PBServices.EndToEnd.Tests.Evidence;

/// <summary>One bad request: what it breaks, and how to send it (a fresh body each time, since a request's content is consumed).</summary>
public sealed record BadHttpCase(string Service, string Operation, string Kind, string Description, HttpMethod Method, string Url, Func<HttpContent?> Body);

/// <summary>Real identifiers of the setup process, by path or field name; any other id is a GUID that names nothing.</summary>
public sealed record BadInputIds(string Jurisdiction, IReadOnlyDictionary<string, Guid> ByName)
{
    public string IdFor(string name) =>
        ByName.TryGetValue(name, out var id) ? id.ToString() : Guid.NewGuid().ToString();
}

/// <summary>
/// Bad requests generated from an OpenAPI document: for every operation, from its parameters and its request body's
/// schema. Every case carries at least one defect the API must refuse. The rule for hostile strings: they are sent
/// alone where the value is constrained (an id, enum, date, number, code, path segment), and a NUL or a 100 KB
/// string alone anywhere (no text the services store admits control characters or that length); an SQL or HTML
/// fragment is a legitimate value of free text, so there it travels with a second defect (a path id that names
/// nothing, else another field of the wrong type), and the case is skipped when neither exists.
/// </summary>
public static class BadInputHttpCases
{
    public const string Nul = "nul";
    public const string Long = "100KB";
    public const string Sql = "sql";
    public const string Html = "html";

    private static readonly Dictionary<string, string> Hostile = new()
    {
        [Nul] = "a\u0000b",
        [Long] = new string('x', 100 * 1024),
        [Sql] = "'; DROP TABLE processes; --",
        [Html] = "<script>alert(1)</script>",
    };

    /// <summary>Hostile values in a URL: a path or query value that long would be refused by the server's request-line limit before any API sees it.</summary>
    private static readonly Dictionary<string, string> HostileInUrl = new()
    {
        [Nul] = "a\u0000b",
        [Long] = new string('x', 2000),
        [Sql] = "'; DROP TABLE processes; --",
        [Html] = "<script>alert(1)</script>",
    };

    /// <summary>String values that are codes rather than free text, by name, where the document declares no format.</summary>
    private static readonly string[] CodeNames = ["jurisdiction", "ubigeo", "dni", "keyid", "format", "code", "level", "stage", "status", "kind", "role", "decision", "channel", "gender", "method"];

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    public sealed record Skipped(string Operation, string Why);

    /// <summary>Every case for every operation of <paramref name="document"/>; <paramref name="skipped"/> gets the operations that offered none.</summary>
    public static List<BadHttpCase> Generate(string service, JsonElement document, BadInputIds ids, List<Skipped> skipped)
    {
        var cases = new List<BadHttpCase>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var pathParameters = path.Value.TryGetProperty("parameters", out var shared) ? shared.EnumerateArray().ToList() : [];
            foreach (var operation in path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)))
            {
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                var generator = new OperationCases(service, name, new HttpMethod(operation.Name.ToUpperInvariant()), path.Name, document, ids,
                    [.. pathParameters, .. operation.Value.TryGetProperty("parameters", out var own) ? own.EnumerateArray() : []],
                    operation.Value.TryGetProperty("requestBody", out var body) ? Resolve(document, body) : (JsonElement?)null);
                var generated = generator.Cases();
                if (generated.Count == 0)
                {
                    skipped.Add(new Skipped(name, "no parameter or body to make bad"));
                }
                cases.AddRange(generated);
            }
        }
        return cases;
    }

    /// <summary>Follows local references (#/components/schemas/X, or any JSON pointer into the document).</summary>
    internal static JsonElement Resolve(JsonElement document, JsonElement element)
    {
        for (var hops = 0; hops < 20 && element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$ref", out var reference); hops++)
        {
            var target = document;
            foreach (var segment in reference.GetString()!.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                var key = Uri.UnescapeDataString(segment).Replace("~1", "/").Replace("~0", "~");
                target = target.ValueKind == JsonValueKind.Array ? target[int.Parse(key, CultureInfo.InvariantCulture)] : target.GetProperty(key);
            }
            element = target;
        }
        return element;
    }

    private sealed class OperationCases(string service, string operation, HttpMethod method, string template, JsonElement document, BadInputIds ids,
        List<JsonElement> parameters, JsonElement? requestBody)
    {
        private readonly List<BadHttpCase> _cases = [];
        private List<(string Name, string In, JsonElement Schema, bool Required)> _parameters = [];

        public List<BadHttpCase> Cases()
        {
            _parameters = parameters
                .Select(p => Resolve(document, p))
                .Select(p => (p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!,
                    p.TryGetProperty("schema", out var s) ? Schema(s) : default, p.TryGetProperty("required", out var r) && r.GetBoolean()))
                .Where(p => p.Item2 is "path" or "query")
                .ToList();
            foreach (var p in _parameters.Where(p => p.In == "path"))
            {
                PathCases(p.Name, p.Schema);
            }
            foreach (var p in _parameters.Where(p => p.In == "query"))
            {
                QueryCases(p.Name, p.Schema, p.Required);
            }
            if (requestBody is { } body && body.TryGetProperty("content", out var content))
            {
                var media = content.EnumerateObject().Select(m => m.Name).ToList();
                if (media.FirstOrDefault(m => m.Contains("json", StringComparison.Ordinal)) is { } json)
                {
                    JsonCases(Schema(content.GetProperty(json).GetProperty("schema")));
                }
                else if (media.FirstOrDefault(m => m is "multipart/form-data" or "application/x-www-form-urlencoded") is { } form)
                {
                    FormCases(form, Schema(content.GetProperty(form).GetProperty("schema")));
                }
                else if (media.FirstOrDefault() is { } other)
                {
                    OtherBodyCases(other);
                }
            }
            return _cases;
        }

        private JsonElement Schema(JsonElement schema)
        {
            schema = Resolve(document, schema);
            // A nullable reference is a oneOf/anyOf of null and the schema; the schema is what must be met.
            foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
            {
                if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(combinator, out var options))
                {
                    foreach (var option in options.EnumerateArray().Select(o => Resolve(document, o)))
                    {
                        if (TypeOf(option) != "null")
                        {
                            return Schema(option);
                        }
                    }
                }
            }
            return schema;
        }

        /// <summary>The schema's one non-null type; integers and numbers first, since .NET also admits them as strings.</summary>
        private static string TypeOf(JsonElement schema)
        {
            if (schema.ValueKind != JsonValueKind.Object)
            {
                return "any";
            }
            if (!schema.TryGetProperty("type", out var type))
            {
                return schema.TryGetProperty("properties", out _) ? "object" : schema.TryGetProperty("enum", out _) ? "string" : "any";
            }
            var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
            return types.FirstOrDefault(t => t is "integer" or "number") ?? types.FirstOrDefault(t => t != "null") ?? "null";
        }

        private static string? Format(JsonElement schema) =>
            schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var f) ? f.GetString() : null;

        private static List<string> Enum(JsonElement schema) =>
            schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("enum", out var e)
                ? e.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
                : [];

        private static bool IsCode(string name, JsonElement schema) =>
            Format(schema) is "uuid" or "date" or "date-time" or "email" or "uri" or "byte" || Enum(schema).Count > 0
            || schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("pattern", out _) && TypeOf(schema) == "string"
            || name.EndsWith("Id", StringComparison.Ordinal) || CodeNames.Any(c => name.Equals(c, StringComparison.OrdinalIgnoreCase) || name.EndsWith(char.ToUpperInvariant(c[0]) + c[1..], StringComparison.Ordinal));

        private void Add(string kind, string description, string url, Func<HttpContent?> body) =>
            _cases.Add(new BadHttpCase(service, operation, kind, description, method, url, body));

        // ---- URL ----

        /// <summary>A plausible value for a parameter: the setup's real id where the name is known.</summary>
        private string ValidParameter(string name, JsonElement schema)
        {
            if (Format(schema) == "uuid" || name.EndsWith("Id", StringComparison.Ordinal))
            {
                return ids.IdFor(name);
            }
            if (Enum(schema) is [var first, ..])
            {
                return first;
            }
            return TypeOf(schema) switch
            {
                "integer" or "number" => name.Contains("year", StringComparison.OrdinalIgnoreCase) ? (DateTime.UtcNow.Year + 1).ToString(CultureInfo.InvariantCulture) : "1",
                "boolean" => "true",
                _ when Format(schema) == "date" => ProcessStory.TodayInLima.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                _ when name.Contains("jurisdiction", StringComparison.OrdinalIgnoreCase) => ids.Jurisdiction,
                _ => "x",
            };
        }

        /// <summary>The URL with every path parameter valid and the required query parameters present, except those overridden (a null value omits it).</summary>
        private string Url(params (string Name, string? Value)[] overrides)
        {
            var given = overrides.ToDictionary(o => o.Name, o => o.Value);
            var path = template;
            foreach (var p in _parameters.Where(p => p.In == "path"))
            {
                path = path.Replace($"{{{p.Name}}}", Uri.EscapeDataString(given.TryGetValue(p.Name, out var v) ? v! : ValidParameter(p.Name, p.Schema)), StringComparison.Ordinal);
            }
            var query = _parameters.Where(p => p.In == "query" && (given.TryGetValue(p.Name, out var v) ? v is not null : p.Required))
                .Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(given.TryGetValue(p.Name, out var v) ? v! : ValidParameter(p.Name, p.Schema))}")
                .ToList();
            return query.Count == 0 ? path : $"{path}?{string.Join('&', query)}";
        }

        /// <summary>A path id with no resource behind it, to pair a free-text hostile string with a second defect; null when the path has none.</summary>
        private (string Name, string Value)? NothingId()
        {
            var id = _parameters.FirstOrDefault(p => p.In == "path" && (Format(p.Schema) == "uuid" || p.Name.EndsWith("Id", StringComparison.Ordinal)));
            return id.Name is null ? null : (id.Name, Guid.NewGuid().ToString());
        }

        private Func<HttpContent?> ValidBody()
        {
            if (requestBody is not { } body || !body.TryGetProperty("content", out var content))
            {
                return () => null;
            }
            var media = content.EnumerateObject().First();
            var schema = Schema(media.Value.TryGetProperty("schema", out var s) ? s : default);
            if (media.Name.Contains("json", StringComparison.Ordinal))
            {
                var json = Build(schema, "", 0)?.ToJsonString() ?? "{}";
                return () => new StringContent(json, Encoding.UTF8, "application/json");
            }
            if (media.Name is "multipart/form-data" or "application/x-www-form-urlencoded")
            {
                var fields = FormFields(schema);
                return () => Form(media.Name, fields, _ => null);
            }
            return () => new StringContent("x", Encoding.UTF8, media.Name);
        }

        private void PathCases(string name, JsonElement schema)
        {
            var body = ValidBody();
            // A path names a resource: an id that is not one, one that names nothing, or a hostile string, names none.
            if (Format(schema) == "uuid" || name.EndsWith("Id", StringComparison.Ordinal))
            {
                Add("bad id", $"{name} not a GUID", Url((name, "not-a-guid")), body);
                Add("bad id", $"{name} a GUID that names nothing", Url((name, Guid.NewGuid().ToString())), body);
            }
            else if (TypeOf(schema) is "integer" or "number")
            {
                Add("wrong type", $"{name} not a number", Url((name, "abc")), body);
                Add("out of range", $"{name} 1e30", Url((name, "1e30")), body);
                Add("out of range", $"{name} negative", Url((name, "-1")), body);
            }
            foreach (var (kind, value) in HostileInUrl)
            {
                Add("hostile string", $"{name} {kind}", Url((name, value)), body);
            }
        }

        private void QueryCases(string name, JsonElement schema, bool required)
        {
            var body = ValidBody();
            if (required)
            {
                Add("missing field", $"query {name} missing", Url((name, null)), body);
            }
            var type = TypeOf(schema);
            if (Format(schema) == "uuid")
            {
                Add("bad id", $"query {name} not a GUID", Url((name, "not-a-guid")), body);
            }
            else if (type is "integer" or "number")
            {
                Add("wrong type", $"query {name} not a number", Url((name, "abc")), body);
                Add("out of range", $"query {name} 1e30", Url((name, "1e30")), body);
                Add("out of range", $"query {name} NaN", Url((name, "NaN")), body);
            }
            else if (type == "boolean")
            {
                Add("wrong type", $"query {name} not a boolean", Url((name, "yes")), body);
            }
            else if (Format(schema) is "date" or "date-time")
            {
                Add("wrong type", $"query {name} not a date", Url((name, "2027-13-45")), body);
            }
            else if (Enum(schema).Count > 0)
            {
                Add("wrong type", $"query {name} not one of its values", Url((name, "NotAValue")), body);
            }
            foreach (var (kind, value) in HostileInUrl)
            {
                if (IsCode(name, schema) || type != "string" || kind == Nul)
                {
                    Add("hostile string", $"query {name} {kind}", Url((name, value)), body);
                }
                else if (NothingId() is { } nothing)
                {
                    Add("hostile string", $"query {name} {kind}, path id naming nothing", Url((name, value), nothing), body);
                }
            }
        }

        // ---- JSON bodies ----

        private JsonNode? Build(JsonElement schema, string name, int depth)
        {
            schema = Schema(schema);
            if (Enum(schema) is [var first, ..])
            {
                return first;
            }
            switch (TypeOf(schema))
            {
                case "object":
                    var node = new JsonObject();
                    if (depth < 4 && schema.TryGetProperty("properties", out var properties))
                    {
                        foreach (var p in properties.EnumerateObject())
                        {
                            node[p.Name] = Build(p.Value, p.Name, depth + 1);
                        }
                    }
                    return node;
                case "array":
                    return depth < 4 && schema.TryGetProperty("items", out var items) ? new JsonArray(Build(items, name, depth + 1)) : new JsonArray();
                case "integer":
                    return name.Contains("year", StringComparison.OrdinalIgnoreCase) ? DateTime.UtcNow.Year + 1 : 1;
                case "number":
                    return 100;
                case "boolean":
                    return true;
                case "string":
                    return Format(schema) switch
                    {
                        "uuid" => ids.IdFor(name),
                        "date" => ProcessStory.TodayInLima.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        "date-time" => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                        "email" => "vecina@example.pe",
                        _ when name.EndsWith("Id", StringComparison.Ordinal) => ids.IdFor(name),
                        _ when name.Contains("jurisdiction", StringComparison.OrdinalIgnoreCase) || name == "territory" => ids.Jurisdiction,
                        _ when name.Equals("dni", StringComparison.OrdinalIgnoreCase) => "03019999",
                        _ => "Valor de prueba",
                    };
                default:
                    return "Valor de prueba";
            }
        }

        /// <summary>Every field of a body schema with its JSON path (arrays through their first item), down to a few levels.</summary>
        private IEnumerable<(List<object> Path, string Name, JsonElement Schema, bool Required)> Fields(JsonElement schema, List<object> at, int depth)
        {
            schema = Schema(schema);
            if (depth >= 4)
            {
                yield break;
            }
            if (TypeOf(schema) == "array" && schema.TryGetProperty("items", out var items))
            {
                foreach (var f in Fields(items, [.. at, 0], depth + 1))
                {
                    yield return f;
                }
                yield break;
            }
            if (TypeOf(schema) != "object" || !schema.TryGetProperty("properties", out var properties))
            {
                yield break;
            }
            var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()).ToHashSet() : [];
            foreach (var p in properties.EnumerateObject())
            {
                var field = Schema(p.Value);
                yield return ([.. at, p.Name], p.Name, field, required.Contains(p.Name));
                foreach (var nested in Fields(field, [.. at, p.Name], depth + 1))
                {
                    yield return nested;
                }
            }
        }

        private static string Describe(List<object> path) =>
            string.Concat(path.Select((s, i) => s is int n ? $"[{n}]" : i == 0 ? (string)s : $".{s}"));

        private static JsonNode? Mutate(JsonNode? root, List<object> path, Action<JsonNode, object> change)
        {
            var copy = root?.DeepClone();
            var parent = copy;
            foreach (var segment in path[..^1])
            {
                parent = segment is int i ? parent?.AsArray()[i] : parent?.AsObject()[(string)segment];
            }
            if (parent is not null)
            {
                change(parent, path[^1]);
            }
            return copy;
        }

        private static JsonNode? Set(JsonNode? root, List<object> path, JsonNode? value) =>
            Mutate(root, path, (parent, key) =>
            {
                if (key is int i)
                {
                    parent.AsArray()[i] = value;
                }
                else
                {
                    parent.AsObject()[(string)key] = value;
                }
            });

        private static JsonNode? Remove(JsonNode? root, List<object> path) =>
            Mutate(root, path, (parent, key) => parent.AsObject().Remove((string)key));

        private static Func<HttpContent?> Json(string text) => () => new StringContent(text, Encoding.UTF8, "application/json");

        private static Func<HttpContent?> Json(JsonNode? node) => Json(node?.ToJsonString() ?? "null");

        /// <summary>A value of another JSON type than the schema's.</summary>
        private static JsonNode? WrongType(string type) => type switch
        {
            "string" => JsonValue.Create(12345),
            "integer" or "number" => JsonValue.Create("abc"),
            "boolean" => JsonValue.Create("yes"),
            "array" => JsonValue.Create("not a list"),
            "object" => JsonValue.Create(42),
            _ => new JsonArray(new JsonObject()),
        };

        private void JsonCases(JsonElement schema)
        {
            var url = Url();
            var valid = Build(schema, "", 0);
            var type = TypeOf(schema);
            Add("malformed JSON", "truncated object", url, Json("{\"name\": \"x\","));
            Add("malformed JSON", "not JSON", url, Json("this is not json"));
            Add("wrong JSON type", $"body a {(type == "array" ? "object" : "list")}", url, Json(type == "array" ? "{}" : "[1, 2]"));
            Add("wrong JSON type", "body a string", url, Json("\"text\""));

            var fields = Fields(schema, [], 0).ToList();
            foreach (var (path, name, field, required) in fields)
            {
                var where = Describe(path);
                var fieldType = TypeOf(field);
                if (required)
                {
                    Add("missing field", $"{where} missing", url, Json(Remove(valid, path)));
                }
                Add("wrong type", $"{where} a {(fieldType is "string" ? "number" : "value of another type")}", url, Json(Set(valid, path, WrongType(fieldType))));
                if (fieldType is "integer" or "number")
                {
                    Add("out of range", $"{where} negative", url, Json(Set(valid, path, -1)));
                    Add("out of range", $"{where} 1e30", url, Json(Set(valid, path, JsonNode.Parse("1e30"))));
                    Add("out of range", $"{where} \"NaN\"", url, Json(Set(valid, path, "NaN")));
                }
                else if (fieldType == "string")
                {
                    if (Format(field) == "uuid" || name.EndsWith("Id", StringComparison.Ordinal))
                    {
                        Add("bad id", $"{where} not a GUID", url, Json(Set(valid, path, "not-a-guid")));
                    }
                    if (Enum(field).Count > 0)
                    {
                        Add("wrong type", $"{where} not one of its values", url, Json(Set(valid, path, "NotAValue")));
                    }
                    if (Format(field) is "date" or "date-time")
                    {
                        Add("wrong type", $"{where} not a date", url, Json(Set(valid, path, "2027-13-45")));
                    }
                    HostileStrings(where, name, field, url, v => Json(Set(valid, path, v)),
                        other => fields.FirstOrDefault(f => !f.Path.SequenceEqual(path) && f.Path.Count == 1 && f.Path[0] is string && TypeOf(f.Schema) != "any") is { Path: not null } sibling
                            ? Json(Set(Set(valid, path, other), sibling.Path, WrongType(TypeOf(sibling.Schema))))
                            : null);
                }
            }
        }

        /// <summary>Each hostile string in one field; SQL and HTML in free text only with a second defect, per the rule above.</summary>
        private void HostileStrings(string where, string name, JsonElement field, string url, Func<string, Func<HttpContent?>> alone, Func<string, Func<HttpContent?>?> withBadSibling)
        {
            foreach (var (kind, value) in Hostile)
            {
                if (kind is Nul or Long || IsCode(name, field))
                {
                    Add("hostile string", $"{where} {kind}", url, alone(value));
                }
                else if (NothingId() is { } nothing)
                {
                    Add("hostile string", $"{where} {kind}, path id naming nothing", Url(nothing), alone(value));
                }
                else if (withBadSibling(value) is { } body)
                {
                    Add("hostile string", $"{where} {kind}, another field of the wrong type", url, body);
                }
            }
        }

        // ---- forms (multipart uploads, form posts) ----

        private List<(string Name, JsonElement Schema)> FormFields(JsonElement schema)
        {
            var fields = new List<(string, JsonElement)>();
            void Collect(JsonElement s)
            {
                s = Resolve(document, s);
                foreach (var combinator in new[] { "allOf", "oneOf", "anyOf" })
                {
                    if (s.ValueKind == JsonValueKind.Object && s.TryGetProperty(combinator, out var parts))
                    {
                        foreach (var part in parts.EnumerateArray())
                        {
                            Collect(part);
                        }
                    }
                }
                if (s.ValueKind == JsonValueKind.Object && s.TryGetProperty("properties", out var properties))
                {
                    fields.AddRange(properties.EnumerateObject().Select(p => (p.Name, Schema(p.Value))));
                }
            }
            Collect(schema);
            return fields;
        }

        private static bool IsFile(JsonElement schema) => Format(schema) == "binary";

        /// <summary>The form with each field valid (a small PDF for files) unless <paramref name="replace"/> gives its value (null keeps it, "" with a file drops the field).</summary>
        private HttpContent Form(string media, List<(string Name, JsonElement Schema)> fields, Func<string, object?> replace)
        {
            if (media == "application/x-www-form-urlencoded")
            {
                return new FormUrlEncodedContent(fields
                    .Select(f => (f.Name, Value: replace(f.Name) as string ?? ValidParameter(f.Name, f.Schema)))
                    .Where(f => f.Value != Omit)
                    .Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
            }
            var form = new MultipartFormDataContent();
            foreach (var (name, schema) in fields)
            {
                var value = replace(name);
                if (value is string s && s == Omit)
                {
                    continue;
                }
                if (IsFile(schema))
                {
                    var file = new ByteArrayContent(value as byte[] ?? ProcessStory.Pdf("Documento de prueba"));
                    file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
                    form.Add(file, name, "documento.pdf");
                }
                else
                {
                    form.Add(new StringContent(value as string ?? ValidParameter(name, schema)), name);
                }
            }
            return form;
        }

        private const string Omit = "\u0001omit";

        private void FormCases(string media, JsonElement schema)
        {
            var url = Url();
            var fields = FormFields(schema);
            Add("wrong content type", "JSON instead of a form", url, Json("{}"));
            Add("wrong content type", "form declared, body not a form", url, () =>
            {
                var content = new StringContent("not a form");
                content.Headers.Remove("Content-Type");
                content.Headers.TryAddWithoutValidation("Content-Type", media == "multipart/form-data" ? "multipart/form-data; boundary=none" : media);
                return content;
            });
            foreach (var (name, field) in fields)
            {
                if (IsFile(field))
                {
                    Add("missing field", $"file {name} missing", url, () => Form(media, fields, n => n == name ? Omit : null));
                    Add("bad file", $"file {name} empty", url, () => Form(media, fields, n => n == name ? Array.Empty<byte>() : null));
                    Add("bad file", $"file {name} not a PDF", url, () => Form(media, fields, n => n == name ? "hola, no soy un PDF"u8.ToArray() : null));
                    continue;
                }
                Add("missing field", $"{name} missing", url, () => Form(media, fields, n => n == name ? Omit : null));
                if (Format(field) == "uuid")
                {
                    Add("bad id", $"{name} not a GUID", url, () => Form(media, fields, n => n == name ? "not-a-guid" : null));
                }
                HostileStrings(name, name, field, url, v => () => Form(media, fields, n => n == name ? v : null), _ => null);
            }
        }

        private void OtherBodyCases(string media)
        {
            var url = Url();
            Add("wrong content type", $"JSON instead of {media}", url, Json("{\"a\": 1}"));
            Add("malformed body", $"empty {media}", url, () => new StringContent("", Encoding.UTF8, media));
            Add("malformed body", $"garbage {media}", url, () => new ByteArrayContent([0xFF, 0xFE, 0x00, 0x01, 0x02]) { Headers = { ContentType = new MediaTypeHeaderValue(media) } });
        }
    }
}
