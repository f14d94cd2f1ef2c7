namespace Worktime.Api.Forms.Definitions;

/// <summary>
/// Looks forms up by the names clients use. Checks the definitions once at start-up so a mistake in a
/// definition (a reference to a missing form, a one-sided link) fails the build's tests, not a request.
/// </summary>
internal sealed class FormRegistry
{
    private readonly Dictionary<string, FormDefinition> _byName;

    public FormRegistry(IEnumerable<FormDefinition> forms)
    {
        All = forms.ToList();
        _byName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var form in All)
        {
            Check(form);
        }
    }

    public static FormRegistry BuiltIn { get; } = new(BuiltInForms.All);

    public IReadOnlyList<FormDefinition> All { get; }

    public FormDefinition Get(string name) => _byName[name];

    /// <summary>By singular name or its camelCase key (<c>worktime</c>, <c>projectTask</c>), case-insensitive.</summary>
    public FormDefinition? FindByKey(string key) =>
        All.FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase) ||
                                string.Equals(f.Name, key, StringComparison.OrdinalIgnoreCase));

    private void Check(FormDefinition form)
    {
        if (form.Fields.Select(f => f.Name).Distinct().Count() != form.Fields.Count)
        {
            throw new InvalidOperationException($"Form {form.Name} has duplicate fields.");
        }
        foreach (var field in form.Fields.Where(f => f.Target is not null))
        {
            if (!_byName.ContainsKey(field.Target!))
            {
                throw new InvalidOperationException($"{form.Name}.{field.Name} references unknown form {field.Target}.");
            }
        }
        foreach (var link in form.Links)
        {
            if (!_byName.TryGetValue(link, out var other) || !other.Links.Contains(form.Name))
            {
                throw new InvalidOperationException($"Link {form.Name}–{link} must be declared on both forms.");
            }
        }
        var names = form.DisplayFields.Concat(form.DateField is null ? [] : [form.DateField])
            .Concat(form.Access.OwnerField is { } owner && owner != "id" ? [owner] : []);
        if (form.PeriodLock is { } rule)
        {
            names = names.Concat([rule.DateField, rule.UserField, rule.StatusField]);
            if (form.Field(rule.StatusField)?.Options?.Contains(PeriodLockRule.Locked) != true)
            {
                throw new InvalidOperationException($"Form {form.Name}: {rule.StatusField} must offer '{PeriodLockRule.Locked}' for period locks.");
            }
        }
        if (names.FirstOrDefault(n => form.Field(n) is null) is { } missing)
        {
            throw new InvalidOperationException($"Form {form.Name} names unknown field {missing}.");
        }
    }
}
