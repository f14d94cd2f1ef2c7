using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Worktime.Api.Backups;

/// <summary>What a PostgreSQL client program answered: its exit code and the first line it wrote to stderr.</summary>
internal sealed record ToolResult(int ExitCode, string Stdout, string Error)
{
    public bool Ok => ExitCode == 0;
}

/// <summary>
/// PostgreSQL's own client programs (<c>pg_dump</c>, <c>pg_restore</c>, <c>psql</c>), run with the configured connection:
/// the connection string becomes libpq's <c>PG*</c> environment variables, so the password never appears in a
/// process list. Found on PATH, else in Debian's <c>/usr/lib/postgresql/N/bin</c> (the newest N).
/// </summary>
internal static class PostgresTools
{
    /// <summary>The program's path, or null when it is not installed.</summary>
    public static string? Find(string program)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
        if (onPath is not null)
        {
            return onPath;
        }
        const string debian = "/usr/lib/postgresql";
        if (!Directory.Exists(debian))
        {
            return null;
        }
        return Directory.GetDirectories(debian)
            .Select(dir => (Major: int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : -1,
                Path: Path.Combine(dir, "bin", program)))
            .Where(c => c.Major >= 0 && File.Exists(c.Path))
            .OrderByDescending(c => c.Major)
            .Select(c => c.Path)
            .FirstOrDefault();
    }

    /// <summary>The one line an operator reads when a program is missing.</summary>
    public static string Missing(string program) =>
        $"{program} was not found: install PostgreSQL's client programs of your server's major version " +
        $"(Debian/Ubuntu: postgresql-client-15) or put {program} on PATH";

    /// <summary>libpq's environment for the connection string (docs: https://www.postgresql.org/docs/current/libpq-envars.html).</summary>
    public static Dictionary<string, string> LibpqEnvironment(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PGAPPNAME"] = "worktime-admin",
            ["PGCONNECT_TIMEOUT"] = Math.Max(builder.Timeout, 2).ToString(CultureInfo.InvariantCulture),
            // Our notices (a cascade of drops) are not the operator's business; errors still come through.
            ["PGOPTIONS"] = "-c client_min_messages=warning",
        };
        void Set(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                environment[name] = value;
            }
        }
        Set("PGHOST", builder.Host);
        Set("PGPORT", builder.Port.ToString(CultureInfo.InvariantCulture));
        Set("PGDATABASE", builder.Database);
        Set("PGUSER", builder.Username);
        Set("PGPASSWORD", builder.Password);
        Set("PGPASSFILE", builder.Passfile);
        Set("PGSSLMODE", builder.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        });
        Set("PGSSLROOTCERT", builder.RootCertificate);
        return environment;
    }

    /// <summary>Runs a program to the end; stdout is returned only when <paramref name="keepStdout"/> (it can be large).</summary>
    public static async Task<ToolResult> RunAsync(string path, IEnumerable<string> args, string connectionString, bool keepStdout,
        CancellationToken ct)
    {
        using var process = Process.Start(StartInfo(path, args, connectionString, stdin: false))!;
        var stdout = keepStdout ? process.StandardOutput.ReadToEndAsync(ct) : DrainAsync(process.StandardOutput, ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return new ToolResult(process.ExitCode, await stdout, FirstLine(await stderr));
    }

    /// <summary>
    /// <c>producer | consumer</c>: writes <paramref name="prelude"/> to the consumer's stdin, then everything the producer
    /// prints. The consumer's result is returned unless the producer failed first.
    /// </summary>
    public static async Task<ToolResult> PipeAsync(string producer, IEnumerable<string> producerArgs, string consumer,
        IEnumerable<string> consumerArgs, string prelude, string connectionString, CancellationToken ct)
    {
        using var source = Process.Start(StartInfo(producer, producerArgs, connectionString, stdin: false))!;
        using var sink = Process.Start(StartInfo(consumer, consumerArgs, connectionString, stdin: true))!;
        var sourceErrors = source.StandardError.ReadToEndAsync(ct);
        var sinkErrors = sink.StandardError.ReadToEndAsync(ct);
        var sinkOutput = DrainAsync(sink.StandardOutput, ct);
        try
        {
            await sink.StandardInput.WriteAsync(prelude.AsMemory(), ct);
            await sink.StandardInput.FlushAsync(ct);
            await source.StandardOutput.BaseStream.CopyToAsync(sink.StandardInput.BaseStream, ct);
        }
        catch (IOException)
        {
            // The consumer stopped reading (it failed): its own exit code and message tell why.
        }
        finally
        {
            sink.StandardInput.Close();
        }
        await Task.WhenAll(source.WaitForExitAsync(ct), sink.WaitForExitAsync(ct));
        await sinkOutput;
        if (source.ExitCode != 0)
        {
            return new ToolResult(source.ExitCode, "", FirstLine(await sourceErrors));
        }
        return new ToolResult(sink.ExitCode, "", FirstLine(await sinkErrors));
    }

    private static ProcessStartInfo StartInfo(string path, IEnumerable<string> args, string connectionString, bool stdin)
    {
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardInput = stdin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in LibpqEnvironment(connectionString))
        {
            info.Environment[name] = value;
        }
        return info;
    }

    private static async Task<string> DrainAsync(StreamReader reader, CancellationToken ct)
    {
        await reader.BaseStream.CopyToAsync(Stream.Null, ct);
        return "";
    }

    /// <summary>The first non-empty line, without libpq's program prefix noise; never more than one line.</summary>
    private static string FirstLine(string text) =>
        text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
}
