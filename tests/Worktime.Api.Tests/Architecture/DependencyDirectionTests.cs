using NetArchTest.Rules;
using Shouldly;

using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Architecture;

/// <summary>
/// The arrows between the feature folders of src/Worktime.Api, and between the sub-folders of Forms/
/// (docs/architecture.md, "Arrows"), read from the compiled code (every type reference in signatures and method
/// bodies, not just <c>using</c> lines). A folder may use only the folders listed for it; a new folder has to be added
/// here, with its place in the picture, before it compiles into a green suite.
/// </summary>
[VariesWith(Vary.Nothing)]
public sealed class DependencyDirectionTests
{
    private const string Root = "Worktime.Api.";

    private const string FormsRoot = Root + "Forms.";

    /// <summary>Each folder and the folders it may import. Nothing may import Cli or Hosting (they wire everything).</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Http"] = [],
        ["Data"] = [],
        ["Observability"] = [],
        ["Accounts"] = ["Data", "Http"],
        ["Auth"] = ["Accounts", "Data", "Http"],
        ["OAuth"] = ["Accounts", "Auth", "Data", "Http"],
        ["Health"] = ["Data", "Http"],
        ["Quota"] = ["Auth", "Data", "Http"],
        ["Forms"] = ["Accounts", "Auth", "Data", "Http", "Quota"],
        ["TimeAccounting"] = ["Accounts", "Auth", "Data", "Forms", "Http", "Quota"],
        ["ApiReference"] = ["Auth", "Data", "Forms", "Http", "TimeAccounting"],
        ["Backups"] = ["Data"],
        ["Demo"] = ["Accounts", "Auth", "Forms", "Http"],
        ["Exports"] = ["Auth", "Forms", "Http", "Quota", "TimeAccounting"],
        ["CalendarFeeds"] = ["Auth", "Data", "Forms", "Http", "Quota", "TimeAccounting"],
        ["Erasure"] = ["Accounts", "Auth", "Data", "Http"],
        ["TwoFactor"] = ["Accounts", "Auth", "Data", "Http", "Quota"],
        ["WebApp"] = ["Accounts", "Auth", "CalendarFeeds", "Data", "Exports", "Forms", "Http", "OAuth", "Quota", "TimeAccounting", "TwoFactor"],
        ["Hosting"] = ["Accounts", "ApiReference", "Auth", "CalendarFeeds", "Data", "Erasure", "Exports", "Forms", "Health", "Http", "OAuth", "Observability", "Quota", "TimeAccounting", "TwoFactor", "WebApp"],
        ["Cli"] = ["Accounts", "ApiReference", "Auth", "Backups", "CalendarFeeds", "Data", "Demo", "Erasure", "Exports", "Forms", "Health", "Hosting", "Http", "OAuth", "Observability", "Quota", "TimeAccounting", "TwoFactor", "WebApp"],
    };

    /// <summary>
    /// Inside Forms/: each sub-folder and the sub-folders it may import. The types at the root of Forms/ are not a
    /// sub-folder: every sub-folder may read <c>StoredRow</c>/<c>PeriodLockSet</c>, and none may use the wiring
    /// (<see cref="FormsWiring"/>), which uses them all.
    /// </summary>
    private static readonly Dictionary<string, string[]> FormsAllowed = new(StringComparer.Ordinal)
    {
        ["Definitions"] = [],
        ["Storage"] = ["Definitions"],
        ["Access"] = ["Definitions", "Storage"],
        ["Query"] = ["Access", "Definitions", "Storage"],
        ["Rows"] = ["Access", "Definitions", "Query", "Storage"],
        ["Hooks"] = ["Definitions", "Storage"],
        ["Writes"] = ["Access", "Definitions", "Hooks", "Rows", "Storage"],
        ["Endpoints"] = ["Access", "Definitions", "Query", "Rows", "Storage", "Writes"],
    };

    private const string FormsWiring = FormsRoot + "FormsRegistration";

    /// <summary>
    /// The values at the root of Forms/ that every sub-folder returns or reads. Every other root type (but the wiring)
    /// is the door other folders use (<c>FormRows</c> and what it answers): of the sub-folders only Endpoints, the
    /// REST routes, stands on it.
    /// </summary>
    private static readonly string[] FormsRootValues = ["StoredRow", "PeriodLockSet"];

    /// <summary>What other folders may use of Forms/: its root (the door) and its definitions.</summary>
    private const string FormsDefinitions = "Definitions";

    /// <summary>
    /// The database providers: named only by Data/ (the connection seam, the row cursor), Http/'s error classification
    /// (which recognises their "unavailable" errors) and Backups/ (SQLite's backup API, unpooled connections for a restore).
    /// </summary>
    private static readonly string[] Providers = ["Microsoft.Data.Sqlite", "SQLitePCL", "Npgsql"];

    private static readonly string[] ProviderFolders = ["Backups", "Data", "Http"];

    private static readonly System.Reflection.Assembly Server = typeof(Program).Assembly;

    public static TheoryData<string> Folders() => [.. Allowed.Keys];

    public static TheoryData<string> FormsFolders() => [.. FormsAllowed.Keys];

    [Theory]
    [MemberData(nameof(Folders))]
    public void A_folder_imports_only_the_folders_below_it(string folder)
    {
        Offenders(Root, Allowed, folder, []).ShouldBeEmpty($"{folder} may import only: {string.Join(", ", Allowed[folder])}");
    }

    [Theory]
    [MemberData(nameof(FormsFolders))]
    public void A_forms_sub_folder_imports_only_the_sub_folders_below_it(string folder)
    {
        Offenders(FormsRoot, FormsAllowed, folder, [FormsWiring])
            .ShouldBeEmpty($"Forms.{folder} may import only: {string.Join(", ", FormsAllowed[folder])}");
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Other_folders_use_the_forms_engine_only_through_its_door_and_definitions(string folder)
    {
        if (folder == "Forms")
        {
            return;
        }
        var inside = FormsAllowed.Keys.Where(sub => sub != FormsDefinitions).Select(sub => FormsRoot + sub).ToArray();
        Failing(TypesOf(Root, folder), inside).ShouldBeEmpty(
            $"{folder} may use of Forms/ only the types at its root (FormRows, FormQuery, StoredRow, ...) and Forms.Definitions "
            + "(docs/architecture.md, \"The forms engine's door\"); add what it needs to the door instead of reaching inside.");
    }

    [Theory]
    [MemberData(nameof(FormsFolders))]
    public void Only_the_forms_endpoints_stand_on_the_door(string folder)
    {
        var root = Server.GetTypes().Where(t => t.Namespace == FormsRoot.TrimEnd('.') && !t.IsNested).Select(t => t.FullName!).ToList();
        root.ShouldContain(FormsRoot + "FormRows");
        // Endpoints (the REST routes) stand on the door like any other user; no sub-folder uses the wiring.
        var forbidden = root.Where(name => folder == "Endpoints"
            ? name == FormsWiring
            : !FormsRootValues.Any(value => name == FormsRoot + value)).ToArray();
        Failing(TypesOf(FormsRoot, folder), forbidden).ShouldBeEmpty(
            $"Forms.{folder} may use of the root of Forms/ only {string.Join(", ", FormsRootValues)}"
            + (folder == "Endpoints" ? " and the door (not the wiring)" : ""));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Only_the_data_folder_names_a_database_provider(string folder)
    {
        if (ProviderFolders.Contains(folder))
        {
            return;
        }
        Failing(TypesOf(Root, folder), Providers).ShouldBeEmpty(
            $"{folder} reads rows through Data/ (Database, RowCursor), never through a provider's own types");
    }

    /// <summary>
    /// The caller is read once per request (docs/architecture.md, "The caller"): the only code that reads claims —
    /// calls anything of <c>System.Security.Claims</c> but a constructor (<c>FindFirst</c>, <c>HasClaim</c>,
    /// <c>Claims</c>, <c>Identity</c>, a claim's <c>Value</c>, ...) — is <c>Auth.CallerClaims</c>; everyone else asks
    /// <c>CurrentUser.Of</c> or takes <c>CurrentUser</c> as a parameter. Read from the compiled code, lambdas and
    /// Razor components included.
    /// </summary>
    [Fact]
    public void Only_the_callers_one_reader_reads_claims()
    {
        string[] readers = [Root + "Auth.CallerClaims"];
        using var module = Mono.Cecil.ModuleDefinition.ReadModule(Server.Location);
        var offenders = module.Types.SelectMany(AllTypes)
            .SelectMany(type => type.Methods.Where(m => m.HasBody).SelectMany(m => m.Body.Instructions)
                .Select(i => i.Operand).OfType<Mono.Cecil.MethodReference>()
                .Where(called => called.DeclaringType.Namespace == "System.Security.Claims" && called.Name != ".ctor")
                .Select(called => (Type: Outermost(type).FullName, Called: called.DeclaringType.Name + "." + called.Name)))
            .Where(use => !readers.Contains(use.Type))
            .Select(use => $"{use.Type} calls {use.Called}")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        offenders.ShouldBeEmpty("Read the caller with CurrentUser.Of(http) (or take CurrentUser), never the claims: "
            + "Auth.CallerClaims reads them once per request.");

        static IEnumerable<Mono.Cecil.TypeDefinition> AllTypes(Mono.Cecil.TypeDefinition type) => [type, .. type.NestedTypes.SelectMany(AllTypes)];

        static Mono.Cecil.TypeDefinition Outermost(Mono.Cecil.TypeDefinition type) => type.DeclaringType is { } outer ? Outermost(outer) : type;
    }

    /// <summary>
    /// Errors have one type from the engine to the wire (docs/architecture.md, "Errors"): <c>Http.ApiError</c>, which the
    /// forms engine, the account services and every feature return and which routes, middleware and pages read. No other
    /// type is named <c>…Error</c> (a record, a class, an enum of reasons) or carries the wire's <c>error</c> /
    /// <c>error_description</c> members.
    /// </summary>
    [Fact]
    public void Errors_have_one_type_from_the_engine_to_the_wire()
    {
        const string one = Root + "Http.ApiError";
        const System.Reflection.BindingFlags members = System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic
            | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly;
        var others = Server.GetTypes()
            .Where(t => t.FullName != one && !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false)
                && !t.Name.Contains('<', StringComparison.Ordinal))
            .Where(t => t.Name.EndsWith("Error", StringComparison.Ordinal) || t.Name.EndsWith("ErrorBody", StringComparison.Ordinal)
                || t.GetProperties(members).Any(p => System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Text.Json.Serialization.JsonPropertyNameAttribute>(p)?.Name
                    is "error" or "error_description"))
            .Select(t => t.FullName)
            .ToList();
        Server.GetType(one).ShouldNotBeNull();
        others.ShouldBeEmpty($"An expected failure is a {one} value (its factories, or new ApiError(status, code, description, fields)); "
            + "map a feature's reasons to it rather than adding an error type.");
    }

    [Fact]
    public void Every_folder_of_the_server_has_a_place_in_the_picture()
    {
        FoldersUnder(Root).ShouldBe(Allowed.Keys.Order(StringComparer.Ordinal).ToList(), ignoreOrder: false);
    }

    [Fact]
    public void Every_sub_folder_of_forms_has_a_place_in_the_picture()
    {
        FoldersUnder(FormsRoot).ShouldBe(FormsAllowed.Keys.Order(StringComparer.Ordinal).ToList(), ignoreOrder: false);
    }

    [Fact]
    public void The_allowed_arrows_have_no_cycle()
    {
        HasCycle(Allowed).ShouldBeFalse();
        HasCycle(FormsAllowed).ShouldBeFalse();
    }

    /// <summary>"Type uses Folder" for every type of <paramref name="folder"/> that uses a folder it may not, or one of <paramref name="alsoForbidden"/>.</summary>
    private static List<string> Offenders(string prefix, Dictionary<string, string[]> allowed, string folder, string[] alsoForbidden)
    {
        var forbidden = allowed.Keys.Where(other => other != folder && !allowed[folder].Contains(other)).Select(other => prefix + other)
            .Concat(alsoForbidden);
        var pattern = "^" + System.Text.RegularExpressions.Regex.Escape(prefix + folder) + @"(\..+)?$";
        return forbidden
            .SelectMany(other => Types.InAssembly(Server).That().ResideInNamespaceMatching(pattern)
                .ShouldNot().HaveDependencyOnAny(other).GetResult().FailingTypes?
                .Select(type => $"{type.FullName} uses {other}") ?? [])
            .ToList();
    }

    /// <summary>The types of <paramref name="types"/> that use any of <paramref name="forbidden"/> (namespaces or types).</summary>
    private static List<string> Failing(PredicateList types, string[] forbidden) =>
        (types.ShouldNot().HaveDependencyOnAny(forbidden).GetResult().FailingTypes ?? []).Select(t => t.FullName ?? t.Name).ToList();

    private static PredicateList TypesOf(string prefix, string folder) =>
        Types.InAssembly(Server).That().ResideInNamespaceMatching("^" + System.Text.RegularExpressions.Regex.Escape(prefix + folder) + @"(\..+)?$");

    /// <summary>The first namespace segment below <paramref name="prefix"/> of every type of the server, sorted.</summary>
    private static List<string> FoldersUnder(string prefix) =>
        Server.GetTypes()
            .Select(t => t.Namespace)
            .OfType<string>()
            .Where(ns => ns.StartsWith(prefix, StringComparison.Ordinal))
            .Select(ns => ns[prefix.Length..].Split('.')[0])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>A depth-first walk: reaching a folder that is still on the path is a cycle.</summary>
    private static bool HasCycle(Dictionary<string, string[]> allowed)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        bool Cycle(string folder)
        {
            state[folder] = 1;
            foreach (var next in allowed[folder])
            {
                if (state.GetValueOrDefault(next) == 1 || (state.GetValueOrDefault(next) == 0 && Cycle(next)))
                {
                    return true;
                }
            }
            state[folder] = 2;
            return false;
        }

        return allowed.Keys.Any(folder => state.GetValueOrDefault(folder) == 0 && Cycle(folder));
    }
}
