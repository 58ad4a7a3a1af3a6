using System.Globalization;
using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace PBServices.EndToEnd.Tests.Evidence;

/// <summary>One bad call: the method, what it breaks, and the request message's bytes as they go on the wire.</summary>
public sealed record BadGrpcCase(string Service, string Method, string Kind, string Description, MethodDescriptor Descriptor, byte[] Request);

/// <summary>
/// Bad calls generated from the compiled .proto descriptors of the contracts: every method of every service. Every
/// string of a request message in our contracts is an id, a code, a credential or signed content, never free text,
/// so a hostile string there is invalid on its own; a new free-text field would show up as a call answered OK.
/// </summary>
public static class BadInputGrpcCases
{
    private static readonly Dictionary<string, string> Hostile = new()
    {
        ["nul"] = "a\u0000b",
        ["100KB"] = new string('x', 100 * 1024),
        ["sql"] = "'; DROP TABLE processes; --",
        ["html"] = "<script>alert(1)</script>",
    };

    /// <summary>Every file descriptor compiled from src/Contracts/Protos into this assembly (the generated *Reflection classes).</summary>
    public static IReadOnlyList<FileDescriptor> ContractFiles() =>
        typeof(BadInputGrpcCases).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("PBServices.Grpc.", StringComparison.Ordinal) == true && t.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
            .OfType<FileDescriptor>()
            .Where(f => f.Services.Count > 0)
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();

    public static List<BadGrpcCase> Generate(ServiceDescriptor service, BadInputIds ids)
    {
        var cases = new List<BadGrpcCase>();
        foreach (var method in service.Methods)
        {
            void Add(string kind, string description, byte[] request) =>
                cases.Add(new BadGrpcCase(service.FullName, method.Name, kind, description, method, request));
            var input = method.InputType;
            var valid = Valid(input, ids);

            // Field 1 announced as 2^35 bytes long, in a message of six: no parser can read it.
            Add("garbage bytes", "truncated length-delimited field", [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]);
            Add("garbage bytes", "random bytes", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]);
            foreach (var field in input.Fields.InFieldNumberOrder())
            {
                var others = Without(valid, field);
                switch (field.FieldType)
                {
                    case FieldType.String:
                        // Proto3 strings are UTF-8: 0xC3 0x28 is not.
                        Add("wrong value", $"{field.Name} not UTF-8", Concat(others, Tag(field.FieldNumber, 2), [0x02, 0xC3, 0x28]));
                        // A field of the wrong wire type is an unknown field to the parser, i.e. absent: bad only where the field is
                        // required, which in proto3 only the names say (an id names what is asked for; filters may be empty).
                        if (field.Name.EndsWith("_id", StringComparison.Ordinal))
                        {
                            Add("wrong type", $"{field.Name} sent as a number", Concat(others, Tag(field.FieldNumber, 0), [0x2A]));
                            Add("missing field", $"{field.Name} empty", With(input, valid, field, ""));
                            Add("bad id", $"{field.Name} not a GUID", With(input, valid, field, "not-a-guid"));
                            Add("bad id", $"{field.Name} a GUID that names nothing", With(input, valid, field, Guid.NewGuid().ToString()));
                        }
                        foreach (var (kind, value) in Hostile)
                        {
                            Add("hostile string", $"{field.Name} {kind}", With(input, valid, field, value));
                        }
                        break;
                    case FieldType.Int32 or FieldType.Int64:
                        Add("out of range", $"{field.Name} negative", With(input, valid, field, field.FieldType == FieldType.Int32 ? -1 : (object)-1L));
                        // Our int64 fields are cursors (decisions after a sequence), where the largest value rightly finds nothing.
                        if (field.FieldType == FieldType.Int32)
                        {
                            Add("out of range", $"{field.Name} the largest value", With(input, valid, field, int.MaxValue));
                        }
                        break;
                }
            }
        }
        return cases;
    }

    /// <summary>The request as a well-behaved caller would fill it, with the setup's real ids, so that each case has only its own defect.</summary>
    private static IMessage Valid(MessageDescriptor input, BadInputIds ids)
    {
        var message = (IMessage)Activator.CreateInstance(input.ClrType)!;
        foreach (var field in input.Fields.InFieldNumberOrder())
        {
            object? value = field.FieldType switch
            {
                FieldType.String when field.Name.EndsWith("_id", StringComparison.Ordinal) => ids.IdFor(Camel(field.Name)),
                FieldType.String when field.Name.Contains("jurisdiction", StringComparison.Ordinal) || field.Name == "region" => ids.Jurisdiction,
                FieldType.String => "x",
                FieldType.Int32 when field.Name.Contains("year", StringComparison.Ordinal) => DateTime.UtcNow.Year + 1,
                FieldType.Int32 => 1,
                FieldType.Int64 => 1L,
                FieldType.Bool => true,
                _ => null,
            };
            if (value is not null && !field.IsRepeated)
            {
                field.Accessor.SetValue(message, value);
            }
        }
        return message;
    }

    private static string Camel(string snake)
    {
        var parts = snake.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }

    private static byte[] With(MessageDescriptor input, IMessage valid, FieldDescriptor field, object value)
    {
        var copy = input.Parser.ParseFrom(valid.ToByteArray());
        field.Accessor.SetValue(copy, value);
        return copy.ToByteArray();
    }

    private static byte[] Without(IMessage valid, FieldDescriptor field)
    {
        var copy = field.ContainingType.Parser.ParseFrom(valid.ToByteArray());
        field.Accessor.Clear(copy);
        return copy.ToByteArray();
    }

    private static byte[] Tag(int number, int wireType)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(number, (WireFormat.WireType)wireType);
        output.Flush();
        return stream.ToArray();
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>A gRPC method over raw bytes, so any message (or none that parses) can be sent.</summary>
    public static Method<byte[], byte[]> Raw(MethodDescriptor method) =>
        new(method.IsServerStreaming ? (method.IsClientStreaming ? MethodType.DuplexStreaming : MethodType.ServerStreaming) : method.IsClientStreaming ? MethodType.ClientStreaming : MethodType.Unary,
            method.Service.FullName, method.Name, Bytes, Bytes);

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    public static string Describe(StatusCode status) => ((int)status).ToString(CultureInfo.InvariantCulture) + " " + status;
}
