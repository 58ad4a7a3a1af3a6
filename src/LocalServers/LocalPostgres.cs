using System.Globalization;
using Npgsql;

namespace PBServices.LocalServers;

/// <summary>What differs between one local PostgreSQL server and another.</summary>
public sealed record PostgresSettings
{
    public required string DataDirectory { get; init; }

    /// <summary>Where the server puts its Unix socket (never the shared /var/run/postgresql).</summary>
    public required string SocketDirectory { get; init; }

    public required int Port { get; init; }

    /// <summary>
    /// The password of the <c>postgres</c> role over TCP. Null means trust authentication: anyone on this
    /// machine gets in, which only a throwaway server may allow.
    /// </summary>
    public string? Password { get; init; }

    /// <summary>False skips fsync and full-page writes: faster, and fine for a server thrown away after a test run.</summary>
    public bool Durable { get; init; } = true;

    /// <summary>Further server settings, passed as <c>-c name=value</c>.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}

/// <summary>A PostgreSQL server run from the machine's own binaries (Debian's postgresql package), listening on loopback only.</summary>
public sealed class LocalPostgres(PostgresSettings settings)
{
    public const string User = "postgres";

    public PostgresSettings Settings { get; } = settings;

    /// <summary>Connection string to the server, without a database.</summary>
    public string ServerConnectionString =>
        $"Host=127.0.0.1;Port={Settings.Port.ToString(CultureInfo.InvariantCulture)};Username={User}"
        + (Settings.Password is null ? "" : $";Password={Settings.Password}");

    public string ConnectionString(string database) => $"{ServerConnectionString};Database={database}";

    private static readonly Lazy<string> Binaries = new(FindBinDirectory);

    /// <summary>The folder with <c>postgres</c> and <c>initdb</c>: <c>pg_config --bindir</c>, else the newest under /usr/lib/postgresql.</summary>
    public static string BinDirectory() => Binaries.Value;

    private static string FindBinDirectory()
    {
        string? fromPgConfig;
        try
        {
            fromPgConfig = ServiceUser.Run("pg_config", ["--bindir"]);
        }
        catch (LocalServerException)
        {
            fromPgConfig = null;
        }
        var candidates = fromPgConfig is null ? [] : new[] { fromPgConfig };
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates = [.. candidates, .. Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var major) ? major : 0)
                .Select(d => Path.Combine(d, "bin"))];
        }
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "postgres")) && File.Exists(Path.Combine(d, "initdb")))
            ?? throw new LocalServerException("PostgreSQL is not installed: run `bash deploy/local/prerequisites.sh` (or `apt-get install postgresql`)");
    }

    /// <summary>Creates the cluster on first use (initdb) and the socket folder; a cluster already there is kept.</summary>
    public void InitializeDataDirectory()
    {
        Directory.CreateDirectory(Settings.SocketDirectory);
        ServiceUser.GiveTo(Settings.SocketDirectory, User);
        if (File.Exists(Path.Combine(Settings.DataDirectory, "PG_VERSION")))
        {
            return;
        }
        Directory.CreateDirectory(Settings.DataDirectory);
        ServiceUser.GiveTo(Settings.DataDirectory, User);

        List<string> arguments = ["-D", Settings.DataDirectory, "-U", User, "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"];
        string? passwordFile = null;
        if (Settings.Password is null)
        {
            arguments.Add("--auth=trust");
        }
        else
        {
            passwordFile = Path.Combine(Settings.SocketDirectory, "pwfile");
            File.WriteAllText(passwordFile, Settings.Password);
            ServiceUser.GiveTo(passwordFile, User);
            arguments.AddRange(["--pwfile", passwordFile, "--auth-host=scram-sha-256", "--auth-local=peer"]);
        }
        if (!Settings.Durable)
        {
            arguments.Add("--no-sync");
        }

        var initdb = ServiceUser.Command(User, Path.Combine(BinDirectory(), "initdb"), arguments, new Dictionary<string, string>(), Settings.DataDirectory);
        try
        {
            ServiceUser.Run(initdb.FileName, initdb.Arguments, workingDirectory: initdb.WorkingDirectory);
        }
        catch (LocalServerException e)
        {
            throw new LocalServerException($"PostgreSQL cannot create its cluster in {Settings.DataDirectory}: {e.Message}; delete that folder and try again", e);
        }
        finally
        {
            if (passwordFile is not null)
            {
                File.Delete(passwordFile);
            }
        }
    }

    /// <summary>The command that runs the server in the foreground.</summary>
    public ServerCommand Command()
    {
        List<string> arguments = ["-D", Settings.DataDirectory, "-p", Settings.Port.ToString(CultureInfo.InvariantCulture),
            "-k", Settings.SocketDirectory, "-c", "listen_addresses=127.0.0.1",
            // Five services share the server, each pooling up to 30 connections (AddPbService), with room left for tools.
            "-c", "max_connections=200"];
        if (!Settings.Durable)
        {
            arguments.AddRange(["-c", "fsync=off", "-c", "full_page_writes=off"]);
        }
        foreach (var (name, value) in Settings.Settings)
        {
            arguments.AddRange(["-c", $"{name}={value}"]);
        }
        return ServiceUser.Command(User, Path.Combine(BinDirectory(), "postgres"), arguments, new Dictionary<string, string>(), Settings.DataDirectory);
    }

    /// <summary>Ready when it accepts a connection to <paramref name="database"/>.</summary>
    public async Task<bool> AcceptsConnectionsAsync(string database, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection($"{ConnectionString(database)};Timeout=3;Pooling=false");
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Creates <paramref name="database"/> unless it exists. The name comes from code, never from input.</summary>
    public async Task EnsureDatabaseAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection($"{ConnectionString("postgres")};Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
