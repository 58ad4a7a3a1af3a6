using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PBServices.LocalServers;

namespace PBServices.AppHost.LocalInfrastructure;

public static class LocalServerDataExtensions
{
    /// <summary>
    /// The folder PostgreSQL and RabbitMQ keep their data in (see <see cref="ServerDataRoot"/>); when it
    /// is not <paramref name="requested"/>, the AppHost says so once at start.
    /// </summary>
    public static ServerDataRoot ResolveLocalServerData(this IDistributedApplicationBuilder builder, string requested)
    {
        var data = ServerDataRoot.Resolve(requested, LocalPostgres.User, LocalRabbitMQ.User);
        if (data.IsRelocated)
        {
            builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
            {
                e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PBServices.AppHost").LogInformation("{Notice}", data.Notice);
                return Task.CompletedTask;
            });
        }
        return data;
    }

    /// <summary>Runs an executable resource the way the local-servers recipe says: its arguments and environment.</summary>
    internal static IResourceBuilder<T> WithServerCommand<T>(this IResourceBuilder<T> resource, ServerCommand command)
        where T : ExecutableResource =>
        resource.WithArgs([.. command.Arguments]).WithEnvironment(context =>
        {
            foreach (var (key, value) in command.Environment)
            {
                context.EnvironmentVariables[key] = value;
            }
        });

}

public static class LocalServerFailure
{
    /// <summary>
    /// A machine that cannot run the local servers gets one line saying what to fix and a non-zero
    /// exit, not a stack trace. Installed at the top of the AppHost.
    /// </summary>
    public static void ExitWithOneLine()
    {
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is LocalServerException failure)
            {
                Console.Error.WriteLine($"PB Services cannot start: {failure.Message}");
                Environment.Exit(2);
            }
        };
    }
}
