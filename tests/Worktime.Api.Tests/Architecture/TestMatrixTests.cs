using System.Reflection;
using System.Text.RegularExpressions;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.Architecture;

/// <summary>
/// Every test class has a place in the test matrix (<see cref="VariesWithAttribute"/>), so <c>scripts/test</c> runs it
/// in every pass that can find something in it and no class silently runs in none; docs/architecture.md ("The
/// tests") lists the same places. A failure says exactly which line to add where.
/// </summary>
[VariesWith(Vary.Nothing)]
public sealed partial class TestMatrixTests
{
    private const string Namespace = "Worktime.Api.Tests.";

    private static readonly string TestsFolder = Path.Combine(RepoPaths.Root, "tests", "Worktime.Api.Tests");

    private static readonly string ArchitectureDoc = Path.Combine(RepoPaths.Root, "docs", "architecture.md");

    [Fact]
    public void Every_test_class_has_a_place_in_the_matrix()
    {
        var unplaced = TestClasses().Where(t => t.GetCustomAttribute<VariesWithAttribute>() is null).ToList();
        unplaced.ShouldBeEmpty(string.Concat(unplaced.Select(t =>
            $"\n{SourceOf(t)}: add `[VariesWith(Vary.Backend)]` (or .Culture, .BackendAndCulture, .Nothing) on the line above "
            + $"`class {t.Name}` (with `using Worktime.Api.Tests.Infrastructure;`), and the row \"| `{Place(t)}` | backend |\" "
            + "(or culture, both, once: the same choice) to the table at the end of \"The tests\" in docs/architecture.md, in "
            + "alphabetical order. Choose Backend if it reads or writes the suite's database; Culture if it formats, parses, "
            + "sorts or compares text under the current culture without the database; BackendAndCulture if both; Nothing "
            + "(once) if neither (a document, a tool, its own PostgreSQL, SQLite itself). When unsure, the one that runs more.")));
    }

    [Fact]
    public void The_architecture_doc_lists_every_class_in_its_place()
    {
        var documented = DocumentedPlaces();
        var classes = TestClasses();
        var actual = classes
            .Where(t => t.GetCustomAttribute<VariesWithAttribute>() is not null)
            .ToDictionary(Place, t => VariesWithAttribute.Value(t.GetCustomAttribute<VariesWithAttribute>()!.Vary));
        var missing = actual.Where(p => documented.GetValueOrDefault(p.Key) != p.Value)
            .Select(p => $"\ndocs/architecture.md, \"The tests\": the table at its end needs the row \"| `{p.Key}` | {p.Value} |\" (alphabetical order)"
                + (documented.TryGetValue(p.Key, out var wrong) ? $" (it says {wrong})" : ""));
        var stale = documented.Keys.Where(k => !classes.Any(t => Place(t) == k))
            .Select(k => $"\ndocs/architecture.md, \"The tests\": `{k}` is not a test class (any more); remove its line");
        string.Concat(missing.Concat(stale)).ShouldBeEmpty();
    }

    [Fact]
    public void The_matrix_knows_classes_of_every_kind()
    {
        // The reflection above must see the suite: a mistake there would make the placement checks pass vacuously.
        var classes = TestClasses();
        classes.ShouldContain(typeof(TestMatrixTests));
        classes.Count.ShouldBeGreaterThan(50);
        classes.Select(t => t.GetCustomAttribute<VariesWithAttribute>()?.Vary).OfType<Vary>().Distinct().Count().ShouldBe(4);
        DocumentedPlaces().Count.ShouldBeGreaterThan(50);
    }

    /// <summary>Classes with at least one test method (any attribute derived from xUnit's <c>Fact</c>, Theory included).</summary>
    private static List<Type> TestClasses() =>
        typeof(TestMatrixTests).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && t.Namespace?.StartsWith(Namespace, StringComparison.Ordinal) == true)
            .Where(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
                .Any(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any()))
            .OrderBy(Place, StringComparer.Ordinal)
            .ToList();

    /// <summary><c>Folder/Class</c> from the namespace, as the docs list it.</summary>
    private static string Place(Type type) => type.Namespace![Namespace.Length..].Replace('.', '/') + "/" + type.Name;

    /// <summary>The file that declares the class (the first, for a partial class), for the failure message.</summary>
    private static string SourceOf(Type type)
    {
        var declaration = new Regex($@"\bclass\s+{Regex.Escape(type.Name)}\b");
        var file = Directory.EnumerateFiles(TestsFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .FirstOrDefault(f => declaration.IsMatch(File.ReadAllText(f)));
        return file is null ? $"the class {type.FullName}" : Path.GetRelativePath(RepoPaths.Root, file);
    }

    /// <summary>The rows <c>| Folder/Class | once|backend|culture|both |</c> of the table in "The tests".</summary>
    private static Dictionary<string, string> DocumentedPlaces()
    {
        var text = File.ReadAllText(ArchitectureDoc);
        var start = text.IndexOf("## The tests", StringComparison.Ordinal);
        start.ShouldBeGreaterThanOrEqualTo(0, "docs/architecture.md has a section \"The tests\"");
        var end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? text[start..] : text[start..end];
        return PlaceRow().Matches(section).ToDictionary(m => m.Groups["place"].Value, m => m.Groups["vary"].Value);
    }

    [GeneratedRegex(@"^\| `(?<place>[A-Za-z0-9/]+)` \| (?<vary>once|backend|culture|both) \|", RegexOptions.Multiline)]
    private static partial Regex PlaceRow();
}
