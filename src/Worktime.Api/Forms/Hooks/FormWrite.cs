using System.Data.Common;
using Worktime.Api.Auth;
using Worktime.Api.Forms.Definitions;
using Worktime.Api.Forms.Storage;

namespace Worktime.Api.Forms.Hooks;

/// <summary>Everything a hook may look at or adjust during one row's write.</summary>
internal sealed class FormWrite(
    FormDefinition form, FormHooks hooks, CurrentUser caller, StoredRow? existing, DbConnection connection,
    DbTransaction transaction)
{
    public FormDefinition Form { get; } = form;

    /// <summary>The form's own behaviour (<see cref="FormHooksCatalog"/>).</summary>
    public FormHooks Hooks { get; } = hooks;

    public CurrentUser Caller { get; } = caller;

    /// <summary>The row before the write; null on create.</summary>
    public StoredRow? Existing { get; } = existing;

    /// <summary>Field values the request sets (parsed, not yet merged).</summary>
    public Dictionary<string, object?> Changes { get; init; } = [];

    /// <summary>The row as it will be stored: existing values overlaid with the changes; hooks put computed values here.</summary>
    public Dictionary<string, object?> Row { get; init; } = [];

    /// <summary>Write-only inputs (a password), never stored by the engine.</summary>
    public Dictionary<string, string> WriteOnly { get; init; } = [];

    /// <summary>The row's status after the write (<c>normal</c> or <c>removed</c>).</summary>
    public string? NewStatus { get; set; }

    /// <summary>The row id (known after the insert on create).</summary>
    public long Id { get; set; } = existing?.Id ?? 0;

    /// <summary>The write's timestamp (UTC, <c>YYYY-MM-DD HH:MM:SS</c>) for created/modified.</summary>
    public required string Now { get; init; }

    public DbConnection Connection { get; } = connection;

    public DbTransaction Transaction { get; } = transaction;

    /// <summary>What the hooks computed before the transaction (<see cref="FormWriteRequest.Prepared"/>).</summary>
    public IReadOnlyDictionary<string, object?> Prepared { get; init; } = new Dictionary<string, object?>();

    /// <summary>True when the field is set by this write (and differs from what is stored).</summary>
    public bool Sets(string field) => Changes.ContainsKey(field);
}
