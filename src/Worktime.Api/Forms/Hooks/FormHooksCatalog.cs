using Worktime.Api.Forms.Definitions;

namespace Worktime.Api.Forms.Hooks;

/// <summary>The registered <see cref="FormHooks"/> by form name; a form without its own gets <see cref="FormHooks.None"/>.</summary>
internal sealed class FormHooksCatalog(IEnumerable<FormHooks> hooks)
{
    private readonly Dictionary<string, FormHooks> _byForm = hooks.ToDictionary(h => h.FormName, StringComparer.Ordinal);

    public FormHooks For(FormDefinition form) => _byForm.GetValueOrDefault(form.Name) ?? FormHooks.None;
}

/// <summary>A write as the engine knows it before its transaction opens (see <see cref="FormHooks.BeforeTransactionAsync"/>).</summary>
internal sealed class FormWriteRequest(FormDefinition form, Auth.CurrentUser caller, IReadOnlyList<long> targetIds,
    IReadOnlyDictionary<string, string> writeOnly)
{
    public FormDefinition Form { get; } = form;

    public Auth.CurrentUser Caller { get; } = caller;

    /// <summary>The rows an update names (empty on create).</summary>
    public IReadOnlyList<long> TargetIds { get; } = targetIds;

    /// <summary>Write-only inputs of the body (a password).</summary>
    public IReadOnlyDictionary<string, string> WriteOnly { get; } = writeOnly;

    /// <summary>Results the hooks computed before the transaction (a password hash), seen again as <see cref="FormWrite.Prepared"/>.</summary>
    public Dictionary<string, object?> Prepared { get; } = [];
}
