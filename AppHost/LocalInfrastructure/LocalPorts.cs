using System.Net;
using System.Net.Sockets;

namespace PBServices.AppHost.LocalInfrastructure;

internal static class LocalPorts
{
    /// <summary>A port free on loopback right now; the local servers bind it themselves.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

internal static class LocalUsers
{
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>
    /// PostgreSQL refuses to run as root and Debian's RabbitMQ expects its own user: as root we start
    /// them through runuser; as an ordinary developer they run as that developer.
    /// </summary>
    public static (string Command, string[] Prefix) As(string user, string executable) =>
        IsRoot ? ("runuser", ["-u", user, "--", executable]) : (executable, []);

    public static void Chown(string path, string user)
    {
        if (IsRoot)
        {
            Run("chown", "-R", $"{user}:{user}", path);
        }
    }

    public static void Run(string command, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = System.Diagnostics.Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {command}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed ({p.ExitCode}): {stderr}{stdout.Result}");
        }
    }

    public static string? Output(string command, params string[] args)
    {
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }
            using var p = System.Diagnostics.Process.Start(psi);
            if (p is null)
            {
                return null;
            }
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
