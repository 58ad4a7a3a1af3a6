using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PBServices.BuildingBlocks.Audit;
using PBServices.BuildingBlocks.Data;
using PBServices.BuildingBlocks.Errors;
using PBServices.BuildingBlocks.Grpc;
using PBServices.BuildingBlocks.OpenApi;
using PBServices.BuildingBlocks.Security;

namespace PBServices.BuildingBlocks;

public static class ServiceExtensions
{
    /// <summary>
    /// Everything a PB service needs besides its own domain: database and its <paramref name="migrations"/>,
    /// audit log, auth, errors, OpenAPI, gRPC.
    /// </summary>
    public static IHostApplicationBuilder AddPbService(this IHostApplicationBuilder builder, string databaseName, IReadOnlyList<Migration> migrations)
    {
        builder.AddServiceDefaults();
        // The services share one PostgreSQL: under a voting peak a pool of Npgsql's default 100 could take every
        // connection the server has, and requests would fail instead of waiting. A connection string that sets its own size wins.
        builder.AddNpgsqlDataSource(databaseName, configureDataSourceBuilder: b =>
        {
            var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = b.ConnectionString };
            if (!given.ContainsKey("Maximum Pool Size") && !given.ContainsKey("Max Pool Size"))
            {
                b.ConnectionStringBuilder.MaxPoolSize = 30;
            }
        });
        builder.Services.AddSingleton(new ServiceMigrations(migrations));
        // Registered first so the schema exists before the relay and consumers start.
        builder.Services.AddHostedService<SchemaMigrator>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<UnitOfWorkFactory>();
        builder.Services.AddSingleton<AuditStore>();

        builder.AddPbAuthentication();
        builder.Services.AddProblemDetails();
        // Every enum an API answers with is spelled by name, as in the events and the signed documents.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        // Unreadable bodies and parameters surface as exceptions, so the problem details say what was wrong.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<DocumentInfoTransformer>();
            o.AddDocumentTransformer<GatewayServerTransformer>();
            o.AddDocumentTransformer<BearerSecurityTransformer>();
            o.AddDocumentTransformer<GrpcAuthorizationTransformer>();
            o.AddOperationTransformer<OperationConventionsTransformer>();
        });
        builder.Services.AddGrpc(o => o.Interceptors.Add<DomainExceptionInterceptor>());
        builder.Services.AddGrpcReflection();
        return builder;
    }

    public static WebApplication UsePbService(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UsePbStatusCodePages();
        // Whatever a handler does with a query value, a NUL in it would reach PostgreSQL, which refuses it as a server error.
        app.Use((context, next) =>
        {
            foreach (var (name, values) in context.Request.Query)
            {
                if (values.Any(v => v is not null && Guard.HasControlCharacters(v)))
                {
                    throw new DomainException(name, "Contains control characters");
                }
            }
            return next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UsePbGrpcRequestValidation();
        app.MapDefaultEndpoints();
        // Integrators and our own checks discover the APIs from these, so they are public.
        app.MapOpenApi().AllowAnonymous();
        app.MapGrpcReflectionService().AllowAnonymous();
        return app;
    }
}
