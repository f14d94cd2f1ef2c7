using System.Text.RegularExpressions;
using Worktime.Api.Auth;
using Worktime.Api.Forms.Access;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Http;

namespace Worktime.Api.Forms.Query;

/// <summary>
/// Reads <c>sideload=true</c> (every reference field, default display fields) and <c>sideload[]=project.name</c> /
/// <c>sideload[0]=project.name</c> (the PHP client's indexed form) into a plan of reference field → display fields.
/// </summary>
internal static partial class SideloadParser
{
    public static ApiError? Add(
        FormDefinition form, FormRegistry registry, CurrentUser caller, Dictionary<FieldDefinition, List<string>> plan,
        string key, string value)
    {
        if (key == "sideload")
        {
            switch (value.Trim().ToLowerInvariant())
            {
                case "true" or "1":
                    foreach (var field in form.Fields.Where(f => f.Type == FieldType.Database))
                    {
                        Include(plan, field, registry.Get(field.Target!).DisplayFields);
                    }
                    return null;
                case "false" or "0" or "":
                    return null;
                default:
                    return ApiError.InvalidFilter(key, "must be true, false or a list sideload[]=field.displayfield");
            }
        }
        if (!IndexedKey().IsMatch(key))
        {
            return ApiError.InvalidFilter(key, "is not a sideload list (sideload[] or sideload[0])");
        }
        foreach (var entry in value.Split(',').Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            var dot = entry.IndexOf('.', StringComparison.Ordinal);
            var fieldName = dot < 0 ? entry : entry[..dot];
            if (form.Field(fieldName) is not { Type: FieldType.Database } field)
            {
                return ApiError.InvalidFilter(key, "names a field that is not a reference of this form");
            }
            var target = registry.Get(field.Target!);
            if (dot < 0)
            {
                Include(plan, field, target.DisplayFields);
                continue;
            }
            var display = entry[(dot + 1)..];
            if (display != "id" && target.Field(display) is not { Readable: true, Column: not null })
            {
                return ApiError.InvalidFilter(key, $"names a field the {target.Name} form does not show");
            }
            if (display != "id" && !FormPrivileges.CanReadReferenced(target, caller, display))
            {
                return ApiError.InvalidFilter(key,
                    $"names a field of {target.Plural} you may not read (you may sideload id, {string.Join(", ", target.DisplayFields)})");
            }
            Include(plan, field, display == "id" ? [] : [display]);
        }
        return null;
    }

    private static void Include(Dictionary<FieldDefinition, List<string>> plan, FieldDefinition field, IEnumerable<string> display)
    {
        if (!plan.TryGetValue(field, out var list))
        {
            plan[field] = list = [];
        }
        list.AddRange(display.Where(d => !list.Contains(d)));
    }

    [GeneratedRegex(@"^sideload\[\d{0,4}\]$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex IndexedKey();
}
