using System.Globalization;
using System.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PBServices.BuildingBlocks.Grpc;

/// <summary>
/// Refusals a gRPC client can read. Middleware that refuses before a gRPC method runs (authorization, the rate
/// limiter, status code pages) would answer with an HTTP status and a problem-details body, which clients
/// built on gRPC's core library report as a protocol error. A gRPC client expects HTTP 200 and the status in a
/// trailers-only response, as the gRPC server itself answers.
/// </summary>
public static class GrpcRefusal
{
    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Answers the call with <paramref name="status"/> and no response message; only while the response has not started.</summary>
    public static Task WriteAsync(HttpResponse response, StatusCode status, string message)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.ContentLength = null;
        // Trailers-only: with no message written, the status travels in the one HEADERS frame that ends the stream.
        response.Headers["grpc-status"] = ((int)status).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = PercentEncode(message);
        return Task.CompletedTask;
    }

    /// <summary>The gRPC status for an HTTP refusal, as the gRPC specification maps them (429 is a quota, as our rate limiter means it).</summary>
    public static StatusCode FromHttpStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => StatusCode.Internal,
        StatusCodes.Status401Unauthorized => StatusCode.Unauthenticated,
        StatusCodes.Status403Forbidden => StatusCode.PermissionDenied,
        StatusCodes.Status404NotFound => StatusCode.Unimplemented,
        StatusCodes.Status429TooManyRequests => StatusCode.ResourceExhausted,
        StatusCodes.Status502BadGateway or StatusCodes.Status503ServiceUnavailable or StatusCodes.Status504GatewayTimeout => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    /// <summary>grpc-message is percent-encoded UTF-8: every byte outside printable ASCII, and '%' itself.</summary>
    public static string PercentEncode(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        var encoded = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return encoded.ToString();
    }

    /// <summary>
    /// Status code pages that write problem details for HTTP and a gRPC status for gRPC: a refusal without a
    /// body (a proxy that cannot reach the service, a 404) reaches a gRPC client as its status, not as JSON.
    /// </summary>
    public static IApplicationBuilder UsePbStatusCodePages(this IApplicationBuilder app)
    {
        var http = new StatusCodePagesOptions().HandleAsync;
        return app.UseStatusCodePages(context =>
        {
            var response = context.HttpContext.Response;
            return IsGrpc(context.HttpContext.Request)
                ? WriteAsync(response, FromHttpStatus(response.StatusCode), $"Refused with HTTP {response.StatusCode}")
                : http(context);
        });
    }
}
