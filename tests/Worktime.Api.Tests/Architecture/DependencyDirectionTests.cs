using NetArchTest.Rules;
using Shouldly;

namespace Worktime.Api.Tests.Architecture;

/// <summary>
/// The arrows between the feature folders of src/Worktime.Api (docs/architecture.md, "Arrows"), read from the compiled
/// code (every type reference in signatures and method bodies, not just <c>using</c> lines). A folder may use only the
/// folders listed for it; a new folder has to be added here, with its place in the picture, before it compiles into a
/// green suite.
/// </summary>
public sealed class DependencyDirectionTests
{
    private const string Root = "Worktime.Api.";

    /// <summary>Each folder and the folders it may import. Nothing may import Cli or Hosting (they wire everything).</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Http"] = [],
        ["Data"] = [],
        ["Observability"] = [],
        ["Accounts"] = ["Data", "Http"],
        ["Auth"] = ["Accounts", "Data", "Http"],
        ["Health"] = ["Data", "Http"],
        ["Quota"] = ["Auth", "Data", "Http"],
        ["Forms"] = ["Accounts", "Auth", "Data", "Http", "Quota"],
        ["TimeAccounting"] = ["Accounts", "Auth", "Data", "Forms", "Http", "Quota"],
        ["ApiReference"] = ["Auth", "Data", "Forms", "Http"],
        ["Hosting"] = ["Accounts", "ApiReference", "Auth", "Data", "Forms", "Health", "Http", "Observability", "Quota", "TimeAccounting"],
        ["Cli"] = ["Accounts", "ApiReference", "Auth", "Data", "Forms", "Health", "Hosting", "Http", "Observability", "Quota", "TimeAccounting"],
    };

    private static readonly System.Reflection.Assembly Server = typeof(Program).Assembly;

    public static TheoryData<string> Folders() => [.. Allowed.Keys];

    [Theory]
    [MemberData(nameof(Folders))]
    public void A_folder_imports_only_the_folders_below_it(string folder)
    {
        var forbidden = Allowed.Keys.Where(other => other != folder && !Allowed[folder].Contains(other)).ToArray();
        var offenders = forbidden
            .SelectMany(other => Types.InAssembly(Server).That().ResideInNamespaceMatching($@"^Worktime\.Api\.{folder}(\..+)?$")
                .ShouldNot().HaveDependencyOnAny(Root + other).GetResult().FailingTypes?
                .Select(type => $"{type.FullName} uses {other}") ?? [])
            .ToList();

        offenders.ShouldBeEmpty($"{folder} may import only: {string.Join(", ", Allowed[folder])}");
    }

    [Fact]
    public void Every_folder_of_the_server_has_a_place_in_the_picture()
    {
        var folders = Server.GetTypes()
            .Select(t => t.Namespace)
            .OfType<string>()
            .Where(ns => ns.StartsWith(Root, StringComparison.Ordinal))
            .Select(ns => ns[Root.Length..].Split('.')[0])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

        folders.ShouldBe(Allowed.Keys.Order(StringComparer.Ordinal).ToList(), ignoreOrder: false);
    }

    [Fact]
    public void The_allowed_arrows_have_no_cycle()
    {
        // A depth-first walk: reaching a folder that is still on the path is a cycle.
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        bool Cycle(string folder)
        {
            state[folder] = 1;
            foreach (var next in Allowed[folder])
            {
                if (state.GetValueOrDefault(next) == 1 || (state.GetValueOrDefault(next) == 0 && Cycle(next)))
                {
                    return true;
                }
            }
            state[folder] = 2;
            return false;
        }

        Allowed.Keys.Any(folder => state.GetValueOrDefault(folder) == 0 && Cycle(folder)).ShouldBeFalse();
    }
}
