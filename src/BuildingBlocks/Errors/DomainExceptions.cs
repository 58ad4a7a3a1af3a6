namespace PBServices.BuildingBlocks.Errors;

/// <summary>A request the domain refuses; becomes a 400 with the field and the reason.</summary>
public class DomainException(string field, string reason) : Exception(reason)
{
    public string Field { get; } = field;
}

/// <summary>The request conflicts with the current state (wrong stage, duplicate); becomes a 409.</summary>
public sealed class ConflictException(string field, string reason) : DomainException(field, reason);

public sealed class NotFoundException(string what, object id) : Exception($"{what} '{id}' was not found");

public sealed class ForbiddenException(string reason) : Exception(reason);

/// <summary>
/// Every database connection of the service is in use and none came free in the pool's wait: nothing of the request was
/// done, so it may be sent again; becomes a 503 with Retry-After (gRPC: Unavailable), never a 500.
/// </summary>
public sealed class ServiceBusyException(Exception inner) : Exception(
    $"The service is at capacity: every database connection is in use. Nothing was done; send the request again in {RetryAfterSeconds} seconds", inner)
{
    public const int RetryAfterSeconds = 2;
}
