using System.Security.Cryptography;
using System.Text;

namespace PBServices.LocalServers;

/// <summary>
/// The folder the local servers keep their data in. It is the one asked for (a clone's <c>.data/</c>)
/// unless we are root and the servers' users cannot reach it — a clone in root's home, or in any
/// 0700 home, is closed to them — in which case it is <c>/var/lib/pb-services/&lt;hash of the path&gt;</c>,
/// recorded in <see cref="LocationFile"/> inside the folder asked for. Deleting that folder still
/// starts over: a relocated folder with no record pointing at it is emptied.
/// </summary>
public sealed record ServerDataRoot(string Requested, string Path)
{
    public const string RelocationRoot = "/var/lib/pb-services";

    /// <summary>The file, inside the requested folder, that names where the data went.</summary>
    public const string LocationFile = "data-location.txt";

    public bool IsRelocated => Path != Requested;

    /// <summary>The one line a host logs when the data is not where the user expects it.</summary>
    public string Notice => IsRelocated
        ? $"PostgreSQL and RabbitMQ keep their data in {Path}: their users cannot reach {Requested} (delete {Requested} to start over)"
        : $"PostgreSQL and RabbitMQ keep their data in {Path}";

    /// <summary>Chooses the folder for servers that run as <paramref name="serviceUsers"/>, creating it.</summary>
    public static ServerDataRoot Resolve(string requested, params string[] serviceUsers)
    {
        requested = System.IO.Path.GetFullPath(requested);
        CreateOpenDirectory(requested);
        var locationFile = System.IO.Path.Combine(requested, LocationFile);
        // Once relocated, always relocated: the data must survive restarts even if the folder opens up later.
        if (File.Exists(locationFile))
        {
            var recorded = File.ReadAllText(locationFile).Trim();
            if (Directory.Exists(recorded))
            {
                return new ServerDataRoot(requested, recorded);
            }
        }
        else if (serviceUsers.All(user => ServiceUser.CanReach(user, requested)))
        {
            return new ServerDataRoot(requested, requested);
        }

        var tag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(requested)))[..12];
        var relocated = System.IO.Path.Combine(RelocationRoot, tag);
        if (!File.Exists(locationFile) && Directory.Exists(relocated))
        {
            // Left by an earlier folder of the same path that the user deleted to start over.
            Directory.Delete(relocated, recursive: true);
        }
        CreateOpenDirectory(RelocationRoot);
        CreateOpenDirectory(relocated);
        if (serviceUsers.FirstOrDefault(user => !ServiceUser.CanReach(user, relocated)) is { } lockedOut)
        {
            throw new LocalServerException($"The {lockedOut} user cannot reach {requested} nor {relocated}: set LocalData:Root to a folder it can reach");
        }
        File.WriteAllText(locationFile, relocated + "\n");
        return new ServerDataRoot(requested, relocated);
    }

    /// <summary>Creates the folder readable and searchable by the servers' users, whatever the umask.</summary>
    private static void CreateOpenDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                return;
            }
            Directory.CreateDirectory(path);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LocalServerException($"Cannot create the data folder {path}: {e.Message} (set LocalData:Root to a writable folder)", e);
        }
    }
}
