namespace PBServices.LocalServers;

/// <summary>
/// How to start one server: the AppHost hands it to an executable resource, the test fixture to a
/// process of its own. Whoever starts it also supervises and stops it.
/// </summary>
public sealed record ServerCommand(
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory);

/// <summary>
/// Something the machine must fix before a local server can run. Its message is one line that says
/// what to do; hosts print it instead of a stack trace.
/// </summary>
public sealed class LocalServerException(string message, Exception? innerException = null)
    : Exception(message, innerException);
