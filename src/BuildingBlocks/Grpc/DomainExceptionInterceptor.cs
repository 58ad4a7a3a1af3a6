using Grpc.Core;
using Grpc.Core.Interceptors;
using PBServices.BuildingBlocks.Errors;

namespace PBServices.BuildingBlocks.Grpc;

/// <summary>Maps refused requests to gRPC status codes, the way the problem-details handler does for HTTP.</summary>
public sealed class DomainExceptionInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (ConflictException e)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"{e.Field}: {e.Message}"));
        }
        catch (DomainException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{e.Field}: {e.Message}"));
        }
        catch (NotFoundException e)
        {
            throw new RpcException(new Status(StatusCode.NotFound, e.Message));
        }
        catch (ForbiddenException e)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, e.Message));
        }
    }
}
