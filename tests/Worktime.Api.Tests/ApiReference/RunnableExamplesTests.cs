using System.Text.RegularExpressions;
using Worktime.Api.Tests.MultiNode;

using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.ApiReference;

/// <summary>
/// Every runnable example of the documentation, run against a live server, so a doc change that breaks one fails
/// the suite. The convention (docs/api-reference.md): a fenced block whose info string is <c>sh example</c>,
/// <c>php example</c>, <c>python example</c> or <c>node example</c>; it reads <c>WORKTIME_URL</c>,
/// <c>WORKTIME_USERNAME</c> and <c>WORKTIME_PASSWORD</c>, uses only the language's standard library (sh: curl and
/// jq) and exits 0 on success. One test case per block.
/// </summary>
[VariesWith(Vary.Backend)]
[Collection(LiveServerCollection.Name)]
public sealed partial class RunnableExamplesTests(LiveServer live)
{
    private static readonly string[] Documents = ["README.md", "docs/clients.md"];

    /// <summary>Interpreter and file extension per language (node: .mjs, so top-level await works).</summary>
    private static readonly Dictionary<string, (string Program, string Extension)> Runners = new()
    {
        ["sh"] = ("sh", ".sh"), // run with -e, as if pasted line by line: the first failing command fails the example
        ["php"] = ("php", ".php"),
        ["python"] = ("python3", ".py"),
        ["node"] = ("node", ".mjs"),
    };

    public static TheoryData<string, int, string> Examples()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var (document, index, language, _) in Blocks())
        {
            data.Add(document, index, language);
        }
        return data;
    }

    [Fact]
    public void TheReadmeTour_IsRunnable()
    {
        Blocks().Count(b => b.Document == "README.md").ShouldBeGreaterThanOrEqualTo(2);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_RunsAgainstALiveServer(string document, int index, string language)
    {
        var code = Blocks().Single(b => b.Document == document && b.Index == index).Code;
        var (program, extension) = Runners[language];
        var dir = ExternalTools.TempDir("example");
        var file = Path.Combine(dir, "example" + extension);
        await File.WriteAllTextAsync(file, code);

        var result = await ExternalTools.RunAsync(program, language == "sh" ? ["-e", file] : [file], dir, live.ExampleEnvironment(), TimeSpan.FromMinutes(2));

        result.ShouldSucceed($"{document} example #{index} ({language})");
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>The marked blocks of each document, numbered from 1 in document order.</summary>
    private static List<(string Document, int Index, string Language, string Code)> Blocks()
    {
        var blocks = new List<(string, int, string, string)>();
        foreach (var document in Documents)
        {
            var path = Path.Combine(RepoPaths.Root, document);
            if (!File.Exists(path))
            {
                continue; // docs/clients.md is optional; the README must have its tour (checked above)
            }
            var index = 0;
            foreach (Match match in ExampleBlock().Matches(File.ReadAllText(path).ReplaceLineEndings("\n")))
            {
                blocks.Add((document, ++index, match.Groups["language"].Value, match.Groups["code"].Value));
            }
        }
        return blocks;
    }

    [GeneratedRegex(@"^(?<fence>`{3,})(?<language>sh|php|python|node) example[ \t]*\n(?<code>.*?)\n\k<fence>[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();
}
