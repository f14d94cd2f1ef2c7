using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

// Usage: Worktime.Bench [seconds-per-measure] [argon2-memory-kib] [argon2-iterations]
// Prints "name value" lines (operations per second, all cores busy) for bench/run to read.
var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
var memoryKib = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 19456;
var iterations = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2;
var duration = TimeSpan.FromSeconds(seconds);

Console.WriteLine($"argon2id_hashes_per_s {Ceilings.Measure(duration, Ceilings.Argon2id(memoryKib, iterations)):F1}");
Console.WriteLine($"rs256_signs_per_s {Ceilings.Measure(duration, Ceilings.Rs256()):F1}");
Console.WriteLine($"cores {Environment.ProcessorCount}");

internal static class Ceilings
{
    /// <summary>Runs <paramref name="operation"/> on every core for <paramref name="duration"/>; returns operations/s.</summary>
    public static double Measure(TimeSpan duration, Func<Action> operation)
    {
        operation()(); // warm up (and fail early)
        long total = 0;
        var watch = Stopwatch.StartNew();
        Parallel.For(0, Environment.ProcessorCount, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, _ =>
        {
            var run = operation();
            long count = 0;
            while (watch.Elapsed < duration)
            {
                run();
                count++;
            }
            Interlocked.Add(ref total, count);
        });
        return total / watch.Elapsed.TotalSeconds;
    }

    /// <summary>One Argon2id password hash in the encoded form the server stores, at the given cost.</summary>
    public static Func<Action> Argon2id(int memoryKib, int iterations) => () =>
    {
        var password = Encoding.UTF8.GetBytes("correct horse battery staple");
        var hash = new char[Geralt.Argon2id.HashSize];
        return () => Geralt.Argon2id.ComputeHash(hash, password, iterations, memoryKib * 1024);
    };

    /// <summary>One RS256 signature (RSA-2048, SHA-256, PKCS#1 v1.5) over a typical access token's signing input.</summary>
    public static Func<Action> Rs256() => () =>
    {
        var rsa = RSA.Create(2048);
        var input = Encoding.ASCII.GetBytes(
            "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiYXQrand0In0." +
            Convert.ToBase64String(Encoding.UTF8.GetBytes(
                "{\"iss\":\"http://localhost:5080\",\"aud\":\"http://localhost:5080\",\"sub\":\"42\",\"userid\":42," +
                "\"partnerid\":7,\"userlevel\":5,\"username\":\"bench\",\"client_id\":\"openapi\",\"exp\":1900000000,\"iat\":1899996400}")));
        return () => rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    };
}
