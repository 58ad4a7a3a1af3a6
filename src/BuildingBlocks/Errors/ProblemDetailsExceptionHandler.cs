using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace PBServices.BuildingBlocks.Errors;

/// <summary>Turns refused requests, and a service at capacity, into RFC 7807 problem details; anything else stays a 500 without a stack trace.</summary>
public sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails? problem = exception switch
        {
            ConflictException c => Problem(StatusCodes.Status409Conflict, "Conflict with the current state", c.Field, c.Message),
            DomainException d => Problem(StatusCodes.Status400BadRequest, "The request was refused", d.Field, d.Message),
            NotFoundException n => new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found", Detail = n.Message },
            ForbiddenException f => new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Forbidden", Detail = f.Message },
            ServiceBusyException b => new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = "Service busy", Detail = b.Message },
            // The database went away (restarted, failed over) or gave up the transaction to a conflict: the change was
            // not acknowledged, so the caller may send it again.
            Npgsql.NpgsqlException { IsTransient: true } => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable, Title = "Database unavailable", Detail = "The database is unavailable for the moment; retry shortly.",
            },
            // A value of the wrong type or format: name the field by its JSON path ("calendar.registration.from").
            BadHttpRequestException { InnerException: System.Text.Json.JsonException { Path: { Length: > 2 } path } json } b =>
                Problem(b.StatusCode, "Malformed request", path.TrimStart('$', '.'), $"Not a valid value here ({json.Message.Split(" Path:")[0]})"),
            BadHttpRequestException b => new ProblemDetails { Status = b.StatusCode, Title = "Malformed request", Detail = b.Message },
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = ServiceBusyException.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static ValidationProblemDetails Problem(int status, string title, string field, string reason) =>
        new(new Dictionary<string, string[]> { [field] = [reason] }) { Status = status, Title = title, Detail = reason };
}
