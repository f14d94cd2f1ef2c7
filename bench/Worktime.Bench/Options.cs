using System.Globalization;

namespace Worktime.Bench;

/// <summary><c>--name value</c> pairs; enough for three internal commands.</summary>
internal sealed class Options(Dictionary<string, string> values)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"expected --option, got {args[i]}", nameof(args));
            }
            values[args[i][2..]] = args[i + 1];
        }
        return new Options(values);
    }

    public string Required(string name) =>
        values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required", nameof(name));

    public string Text(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    public int Int(string name, int fallback) =>
        values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public long Long(string name, long fallback) =>
        values.TryGetValue(name, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
