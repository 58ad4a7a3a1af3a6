using System.Globalization;
using PBServices.Allocation.Pabulib;

namespace PBServices.PbTool;

/// <summary>
/// Entry point shared by the executable and the tests. Exit codes: 0 success, 1 usage error,
/// 2 the input file is malformed (or fails validation). Nothing escapes as a stack trace.
/// </summary>
public static class Cli
{
    public const int Ok = 0;
    public const int Usage = 1;
    public const int BadFile = 2;

    public const string Help = """
        pbtool: tallies and allocation rules for Pabulib .pb files

        usage:
          pbtool allocate FILE.pb --rule greedy|greedy-no-skip|mes|mes-add1 [--json]
          pbtool validate FILE.pb
          pbtool generate --voters N --projects M --type approval|cumulative|ordinal|choose-1 --seed S

        FILE may be '-' for standard input. Exit codes: 0 ok, 1 usage error, 2 malformed file.
        Ties break by higher score first, then project id in ordinal string order.
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Func<Stream> openStdin)
    {
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
            {
                stdout.WriteLine(Help);
                return args.Length == 0 ? Usage : Ok;
            }
            var options = Options.Parse(args.AsSpan(1));
            return args[0] switch
            {
                "allocate" => AllocateCommand.Run(options, openStdin, stdout),
                "validate" => ValidateCommand.Run(options, openStdin, stdout),
                "generate" => GenerateCommand.Run(options, stdout),
                _ => throw new UsageException($"unknown command '{args[0]}'"),
            };
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"pbtool: {e.Message}");
            stderr.WriteLine("run 'pbtool --help' for usage");
            return Usage;
        }
        catch (PbFormatException e)
        {
            stderr.WriteLine($"pbtool: malformed file: {e.Message}");
            return BadFile;
        }
        catch (NotSupportedException e)
        {
            stderr.WriteLine($"pbtool: {e.Message}");
            return Usage;
        }
        catch (IOException e)
        {
            stderr.WriteLine($"pbtool: {e.Message}");
            return Usage;
        }
        catch (UnauthorizedAccessException e)
        {
            stderr.WriteLine($"pbtool: {e.Message}");
            return Usage;
        }
    }

    internal static Stream Open(string path, Func<Stream> openStdin)
    {
        if (path == "-")
        {
            return openStdin();
        }
        if (!File.Exists(path))
        {
            throw new UsageException($"no such file: {path}");
        }
        // Unbuffered: the reader buffers already.
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
    }
}

internal sealed class UsageException(string message) : Exception(message);

/// <summary>Positional arguments and --name value / --flag options.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string?> _named = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    public static Options Parse(ReadOnlySpan<string> args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                var name = a[2..];
                var isFlag = name is "json";
                string? value = null;
                if (!isFlag)
                {
                    if (i + 1 >= args.Length)
                    {
                        throw new UsageException($"option --{name} needs a value");
                    }
                    value = args[++i];
                }
                if (!o._named.TryAdd(name, value))
                {
                    throw new UsageException($"option --{name} given twice");
                }
            }
            else
            {
                o.Positional.Add(a);
            }
        }
        return o;
    }

    public bool Flag(string name)
    {
        _used.Add(name);
        return _named.ContainsKey(name);
    }

    public string Required(string name)
    {
        _used.Add(name);
        return _named.TryGetValue(name, out var v) && v is not null ? v : throw new UsageException($"missing --{name}");
    }

    public long RequiredNumber(string name, long min, long max)
    {
        var text = Required(name);
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
        {
            throw new UsageException($"--{name} must be a whole number from {min} to {max}, not '{text}'");
        }
        return v;
    }

    public string SingleFile()
    {
        if (Positional.Count != 1)
        {
            throw new UsageException("expected exactly one FILE (or '-' for standard input)");
        }
        return Positional[0];
    }

    /// <summary>Refuses options the command did not ask for, so typos are not silently ignored.</summary>
    public void EnsureAllUsed()
    {
        foreach (var name in _named.Keys)
        {
            if (!_used.Contains(name))
            {
                throw new UsageException($"unknown option --{name}");
            }
        }
    }
}
