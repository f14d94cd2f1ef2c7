using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Worktime.Api.Accounts.Argon2;

namespace Worktime.Bench;

/// <summary>What this machine can do at most, with every core busy: the denominators of bench/run's ratios.</summary>
internal static class Ceilings
{
    /// <param name="only"><c>argon2id</c> or <c>rs256</c> measures just that one (bench/run re-measures it beside the
    /// samples of the scenario it bounds); anything else measures both.</param>
    public static void Print(double seconds, int memoryKib, int iterations, string only)
    {
        var duration = TimeSpan.FromSeconds(seconds);
        if (only != "rs256")
        {
            var engine = Argon2idEngine.Select(Argon2idEngine.Auto);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"argon2id_hashes_per_s {Measure(duration, Argon2id(engine, memoryKib, iterations)):F1}"));
            Console.WriteLine($"argon2id_implementation {engine.Name}");
        }
        if (only != "argon2id")
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rs256_signs_per_s {Measure(duration, Rs256()):F1}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cores {Environment.ProcessorCount}"));
    }

    /// <summary>Runs the operation on every core for <paramref name="duration"/>; returns operations/s.</summary>
    private static double Measure(TimeSpan duration, Func<Action> operation)
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

    /// <summary>
    /// One Argon2id hash in the encoded form the server stores, at the given cost, through the implementation the
    /// server picks on this machine; each measuring thread keeps its hash memory as the server's hashing threads do.
    /// </summary>
    private static Func<Action> Argon2id(Argon2idEngine engine, int memoryKib, int iterations) => () =>
    {
        var password = Encoding.UTF8.GetBytes("correct horse battery staple");
        return () =>
        {
            HashMemory.KeepOnThisThread();
            engine.Hash(password, iterations, memoryKib);
        };
    };

    /// <summary>One RS256 signature (RSA-2048, SHA-256, PKCS#1 v1.5) over a typical access token's signing input.</summary>
    private static Func<Action> Rs256() => () =>
    {
        var rsa = RSA.Create(2048);
        var input = Encoding.ASCII.GetBytes(
            "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiSldUIn0." +
            Convert.ToBase64String(Encoding.UTF8.GetBytes(
                "{\"iss\":\"http://localhost:5080\",\"aud\":\"http://localhost:5080\",\"exp\":1900000000,\"iat\":1899996400," +
                "\"username\":\"bench\",\"userid\":\"42\",\"partnerid\":\"7\",\"client_id\":\"openapi\",\"userlevel\":\"5\"," +
                "\"country\":\"fi\",\"jti\":\"0f8fad5b-d9cb-469f-a165-70867728950e\"}")));
        return () => rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    };
}
