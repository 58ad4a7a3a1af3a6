using Grpc.Core;
using Grpc.Core.Interceptors;
using PBServices.BuildingBlocks.Errors;

namespace PBServices.BuildingBlocks.Grpc;

/// <summary>
/// Maps refused requests to gRPC status codes, the way the problem-details handler does for HTTP, for unary and
/// streaming methods alike: a stream refused after some messages ends with the status in its trailers.
/// </summary>
public sealed class DomainExceptionInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (Refusal(e) is { } status)
        {
            throw new RpcException(status);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (Refusal(e) is { } status)
        {
            throw new RpcException(status);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception e) when (Refusal(e) is { } status)
        {
            throw new RpcException(status);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception e) when (Refusal(e) is { } status)
        {
            throw new RpcException(status);
        }
    }

    private static Status? Refusal(Exception e) => e switch
    {
        ConflictException c => new Status(StatusCode.FailedPrecondition, Brief($"{c.Field}: {c.Message}")),
        DomainException d => new Status(StatusCode.InvalidArgument, Brief($"{d.Field}: {d.Message}")),
        NotFoundException n => new Status(StatusCode.NotFound, Brief(n.Message)),
        ForbiddenException f => new Status(StatusCode.PermissionDenied, Brief(f.Message)),
        ServiceBusyException b => new Status(StatusCode.Unavailable, b.Message),
        // The database went away (restarted, failed over) or gave up a transaction to a conflict: nothing was
        // acknowledged, so the caller may try again.
        Npgsql.NpgsqlException { IsTransient: true } => new Status(StatusCode.Unavailable, "The database is unavailable for the moment; retry shortly"),
        // A service's own refusal may list reasons that quote the input: the same limit holds for it.
        RpcException { Status.Detail.Length: > 500 } r => new Status(r.StatusCode, Brief(r.Status.Detail)),
        _ => null,
    };

    /// <summary>
    /// The status travels in an HTTP/2 header: a message echoing a 100 KB value would exceed the peer's header limit,
    /// and the peer (the gateway) would drop the connection, failing every call on it.
    /// </summary>
    private static string Brief(string message) => message.Length <= 500 ? message : message[..500] + "…";
}
