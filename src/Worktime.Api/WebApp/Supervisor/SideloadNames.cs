using System.Globalization;
using Worktime.Api.Forms;

namespace Worktime.Api.WebApp.Supervisor;

/// <summary>
/// The names of referenced rows from a findAll's sideloads (each one's display fields joined), as a client reads
/// <c>sideload=true</c>; a reference without a name reads as <c>#id</c>.
/// </summary>
internal sealed class SideloadNames
{
    private readonly Dictionary<(string Form, long Id), string> _names = [];

    public SideloadNames(IEnumerable<FormSideload> sideloads)
    {
        foreach (var sideload in sideloads)
        {
            foreach (var row in sideload.Rows)
            {
                _names[(sideload.Target.Name, row.Id)] = Join(sideload.Target.DisplayFields, row);
            }
        }
    }

    /// <summary>The name of row <paramref name="id"/> of <paramref name="form"/>; empty for no reference.</summary>
    public string Of(string form, long? id) =>
        id is null ? "" : _names.GetValueOrDefault((form, id.Value)) is { Length: > 0 } name ? name : "#" + id.Value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A user row's own name (first and last), else its username.</summary>
    public static string Person(StoredRow user) =>
        Join(["firstname", "lastname"], user) is { Length: > 0 } name ? name : user.Text("username") ?? "#" + user.Id.ToString(CultureInfo.InvariantCulture);

    private static string Join(IEnumerable<string> fields, StoredRow row) =>
        string.Join(' ', fields.Select(f => Convert.ToString(row[f], CultureInfo.InvariantCulture)).Where(t => !string.IsNullOrEmpty(t)));
}
