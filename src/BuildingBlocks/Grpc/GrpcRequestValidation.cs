using System.Buffers.Binary;
using System.Collections.Concurrent;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PBServices.BuildingBlocks.Errors;

namespace PBServices.BuildingBlocks.Grpc;

/// <summary>
/// A request message that does not parse (garbage, a truncated field, a string that is not UTF-8) is the caller's
/// fault, InvalidArgument; the gRPC server reports the parser's exception as Unknown, as if the service had failed,
/// and no interceptor sees it (the message is read before they run). So the one request message of a unary or
/// server-streaming call is parsed here first, after authorization, its text fields checked as Guard checks text, and
/// the buffered body is handed on unchanged.
/// </summary>
public static class GrpcRequestValidation
{
    private static readonly ConcurrentDictionary<Type, MessageParser?> Parsers = new();

    public static IApplicationBuilder UsePbGrpcRequestValidation(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!GrpcRefusal.IsGrpc(context.Request)
            || context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not { Method.Type: MethodType.Unary or MethodType.ServerStreaming } grpc
            || ParserOf(grpc.Method) is not { } parser)
        {
            await next(context);
            return;
        }

        var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var frame = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        // Only an uncompressed, complete frame is checked; anything else the gRPC server refuses itself.
        if (frame.Length >= 5 && frame.Span[0] == 0 && BinaryPrimitives.ReadUInt32BigEndian(frame.Span[1..5]) == frame.Length - 5)
        {
            IMessage message;
            try
            {
                message = parser.ParseFrom(frame.Span[5..]);
            }
            catch (InvalidProtocolBufferException e)
            {
                await GrpcRefusal.WriteAsync(context.Response, StatusCode.InvalidArgument, $"The request message could not be read: {e.Message}");
                return;
            }
            // A NUL would reach PostgreSQL, which refuses it with an error the caller would read as the service's fault.
            if (message.Descriptor.Fields.InFieldNumberOrder().FirstOrDefault(f =>
                    f is { FieldType: FieldType.String, IsRepeated: false } && f.Accessor.GetValue(message) is string s && Guard.HasControlCharacters(s)) is { } field)
            {
                await GrpcRefusal.WriteAsync(context.Response, StatusCode.InvalidArgument, $"{field.Name}: Contains control characters");
                return;
            }
        }
        buffer.Position = 0;
        context.Request.Body = buffer;
        await next(context);
    });

    /// <summary>The request type's parser: the method is a Method&lt;TRequest, TResponse&gt; of generated protobuf messages.</summary>
    private static MessageParser? ParserOf(IMethod method) =>
        Parsers.GetOrAdd(method.GetType(), type =>
            type.IsGenericType && type.GetGenericArguments()[0].GetProperty("Parser")?.GetValue(null) is MessageParser parser ? parser : null);
}
