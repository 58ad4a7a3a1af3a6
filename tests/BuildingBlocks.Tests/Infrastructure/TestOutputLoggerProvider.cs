using Microsoft.Extensions.Logging;

namespace PBServices.BuildingBlocks.Tests.Infrastructure;

/// <summary>Writes a test service's warnings into the test's output, where a failing test shows them.</summary>
internal sealed class TestOutputLoggerProvider(ITestOutputHelper? output, string serviceName) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(output, $"{serviceName} {categoryName}");

    public void Dispose()
    {
    }

    private sealed class Logger(ITestOutputHelper? output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => output is not null && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            try
            {
                output!.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}");
            }
            catch (InvalidOperationException)
            {
                // The test has finished; the host is still shutting down.
            }
        }
    }
}
