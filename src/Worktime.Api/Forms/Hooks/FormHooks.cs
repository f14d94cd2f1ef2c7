using Worktime.Api.Http;

namespace Worktime.Api.Forms.Hooks;

/// <summary>
/// A form's own behaviour, beside its definition. The engine calls these at fixed points of
/// every write; a form overrides only what it needs. The default does nothing. Hooks are registered in DI
/// (<see cref="FormsRegistration"/>), so they get their services through the constructor, and are found by
/// <see cref="FormName"/> through <see cref="FormHooksCatalog"/>.
/// </summary>
internal class FormHooks
{
    public static readonly FormHooks None = new();

    /// <summary>The form these hooks belong to (<see cref="Definitions.FormDefinition.Name"/>).</summary>
    public virtual string FormName => "";

    /// <summary>
    /// Before the write transaction opens: slow work that must not hold row locks (password hashing). May refuse
    /// the write, and may leave results for the later hooks in <see cref="FormWriteRequest.Prepared"/>.
    /// </summary>
    public virtual Task<ApiError?> BeforeTransactionAsync(FormWriteRequest request, CancellationToken ct) => Task.FromResult<ApiError?>(null);

    /// <summary>On the row as it will be stored: derive computed values, check rules spanning several fields.</summary>
    public virtual void Complete(FormWrite write, Dictionary<string, string> errors)
    {
    }

    /// <summary>This form's privilege rules beyond the generic ones (403 when not null).</summary>
    public virtual ApiError? Authorize(FormWrite write) => null;

    /// <summary>This form's privilege rules that need the database, inside the write transaction (403 when not null).</summary>
    public virtual Task<ApiError?> AuthorizeAsync(FormWrite write, CancellationToken ct) => Task.FromResult<ApiError?>(null);

    /// <summary>Inside the write transaction, before writing: checks that need the database (uniqueness).</summary>
    public virtual Task CheckAsync(FormWrite write, Dictionary<string, string> errors, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Columns written besides the fields' own (hidden columns such as a normalised login name).</summary>
    public virtual void AddHiddenColumns(FormWrite write, IDictionary<string, object?> columns)
    {
    }

    /// <summary>The field errors to answer when a write breaks one of this form's unique constraints (empty: none expected).</summary>
    public virtual IReadOnlyDictionary<string, string> UniqueViolation() => new Dictionary<string, string>();

    /// <summary>
    /// Inside the write transaction, after the row's statement (not after a removal of a row already removed): effects
    /// on other rows that must commit or roll back with it (a period lock stamping the rows it covers).
    /// </summary>
    public virtual Task WrittenAsync(FormWrite write, CancellationToken ct) => Task.CompletedTask;

    /// <summary>After commit: effects on other stores (credentials, token revocation).</summary>
    public virtual Task AfterCommitAsync(FormWrite write, CancellationToken ct) => Task.CompletedTask;
}
