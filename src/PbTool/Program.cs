using System.Text;
using PBServices.PbTool;

// Buffered UTF-8 output: generate writes millions of lines, Console.Out flushes on every write.
using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
var exitCode = Cli.Run(args, stdout, Console.Error, Console.OpenStandardInput);
stdout.Flush();
return exitCode;
