using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Data;
using Worktime.Api.Tests.Auth;
using Worktime.Api.Tests.Cli;

using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Culture;

/// <summary>
/// Stored and printed values do not depend on the machine's locale. The reported bug: under
/// <c>LANG=fi_FI.UTF-8</c>, <c>worktime partner add</c> stored <c>created = '2026-11-29 18.28.17'</c>, because
/// Finnish writes the time separator as a dot. scripts/test also runs the whole SQLite suite under fi_FI and tr_TR.
/// </summary>
[VariesWith(Vary.Nothing)]
[Collection(SerialCollection.Name)]
public sealed partial class CultureProofTests
{
    [Theory]
    [InlineData("fi-FI")] // '.' as time separator, ',' as decimal separator, U+2212 as minus sign
    [InlineData("tr-TR")] // dotted and dotless i: "i".ToUpper() is "İ"
    public async Task Partner_add_under_a_foreign_culture_stores_an_invariant_timestamp(string culture)
    {
        await using var app = await WorktimeApplication.StartAsync();
        var before = CultureInfo.CurrentCulture;
        (int Exit, string Out, string Err) result;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            // The culture really is in effect: a plain ToString would produce the bug's format.
            new DateTime(2026, 11, 29, 18, 28, 17).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.CurrentCulture)
                .ShouldBe(culture == "fi-FI" ? "2026-11-29 18.28.17" : "2026-11-29 18:28:17");
            result = await CliRunner.RunAsync(app.ConnectionString, null, "partner", "add", "--name", "Kulttuuri Oy", "--country", "FI");
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }

        result.Exit.ShouldBe(0, result.Err);
        var id = long.Parse(CliRunner.LastLine(result.Out), CultureInfo.InvariantCulture);
        await using var connection = await app.Services.GetRequiredService<Database>().OpenAsync();
        var row = await connection.QuerySingleAsync<(string Country, string Created)>(
            "SELECT country AS Country, created AS Created FROM partners WHERE id = @id", new { id });
        row.Country.ShouldBe("fi");
        row.Created.ShouldMatch(Timestamp().ToString());
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")]
    private static partial Regex Timestamp();
}
