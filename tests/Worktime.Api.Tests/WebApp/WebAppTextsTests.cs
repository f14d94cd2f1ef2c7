using System.Text.RegularExpressions;
using System.Xml.Linq;
using Worktime.Api.Tests.Infrastructure;
using Worktime.Api.Tests.MultiNode;

namespace Worktime.Api.Tests.WebApp;

/// <summary>Every English text the web app's pages show has its Finnish in Texts.fi.resx, and no Finnish text is left over.</summary>
[VariesWith(Vary.Nothing)]
public sealed partial class WebAppTextsTests
{
    [Fact]
    public void Every_text_of_the_pages_has_its_finnish_and_none_is_left_over()
    {
        var folder = Path.Combine(RepoPaths.Root, "src", "Worktime.Api", "WebApp");
        var used = Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(f => Used().Matches(File.ReadAllText(f)).Select(m => m.Groups["text"].Success ? m.Groups["text"].Value : m.Groups["nav"].Value))
            .Select(Regex.Unescape)
            .ToHashSet(StringComparer.Ordinal);
        var entries = XDocument.Load(Path.Combine(folder, "Localization", "Texts.fi.resx")).Root!.Elements("data")
            .Select(d => (Name: d.Attribute("name")!.Value, Value: d.Element("value")!.Value)).ToList();
        // Resource names are case-insensitive: of "Running" and "running" the build keeps one and warns (MSB3568),
        // and the page shows the other's Finnish.
        entries.GroupBy(e => e.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key)
            .ShouldBeEmpty("Finnish texts whose names differ only by case");
        var finnish = entries.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);

        used.ShouldNotBeEmpty();
        used.Where(t => !finnish.ContainsKey(t)).ShouldBeEmpty("texts without Finnish");
        finnish.Keys.Where(t => !used.Contains(t)).ShouldBeEmpty("Finnish texts no page uses");
        finnish.Where(p => string.IsNullOrWhiteSpace(p.Value)).ShouldBeEmpty();
    }

    /// <summary><c>T["text"]</c> in pages and code, and the navigation's <c>("href", "Text", level)</c> entries.</summary>
    [GeneratedRegex("""T\["(?<text>(?:[^"\\]|\\.)+)"\]|\("[a-z/]+", "(?<nav>[^"]+)", \d\)""")]
    private static partial Regex Used();
}
