using Xunit.Abstractions;
using Xunit.Sdk;

namespace Worktime.Api.Tests.Infrastructure;

/// <summary>
/// What a test class's outcome can differ with, so <c>scripts/test</c> runs it in the passes that can find something
/// (docs/architecture.md, "The tests"): the SQLite pass runs every class; the PostgreSQL pass the classes that vary
/// with the backend; the fi_FI and tr_TR passes (SQLite) the classes that vary with the culture.
/// </summary>
public enum Vary
{
    /// <summary>
    /// "Once": neither the database backend nor the culture changes what it checks — a document, a generated client, a
    /// browser page, an external tool, code without the database, a test that starts its own PostgreSQL or sets its
    /// own culture, or a test of SQLite itself. Runs in the SQLite pass only.
    /// </summary>
    Nothing,

    /// <summary>
    /// It reads or writes the database of the backend under test (SQL that differs per dialect, locks, transactions,
    /// several processes on one database). Runs in the SQLite and PostgreSQL passes.
    /// </summary>
    Backend,

    /// <summary>
    /// It formats, parses, sorts or compares text under the current culture (numbers, dates and names in JSON, CSV,
    /// command output, configuration, usernames) but not with the backend. Runs in the SQLite, fi_FI and tr_TR passes.
    /// </summary>
    Culture,

    /// <summary>Both of the above: every pass.</summary>
    BackendAndCulture,
}

/// <summary>
/// Places a test class in the test matrix (<see cref="Vary"/>); every class with tests needs exactly one
/// (<c>Architecture/TestMatrixTests</c>). Seen by <c>dotnet test --filter "VariesWith=backend"</c> as a trait.
/// </summary>
[TraitDiscoverer("Worktime.Api.Tests.Infrastructure.VariesWithDiscoverer", "Worktime.Api.Tests")]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class VariesWithAttribute(Vary vary) : Attribute, ITraitAttribute
{
    public const string Trait = "VariesWith";

    public Vary Vary { get; } = vary;

    /// <summary>The trait value <c>scripts/test</c> filters on: once, backend, culture, both.</summary>
    public static string Value(Vary vary) => vary switch
    {
        Vary.Backend => "backend",
        Vary.Culture => "culture",
        Vary.BackendAndCulture => "both",
        _ => "once",
    };
}

/// <summary>Turns <see cref="VariesWithAttribute"/> into the <c>VariesWith</c> trait of every test of the class.</summary>
public sealed class VariesWithDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        var vary = traitAttribute.GetConstructorArguments().OfType<Vary>().Single();
        yield return KeyValuePair.Create(VariesWithAttribute.Trait, VariesWithAttribute.Value(vary));
    }
}
