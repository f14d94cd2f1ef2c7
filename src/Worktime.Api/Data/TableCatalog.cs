namespace Worktime.Api.Data;

/// <summary>Whose a table's rows are.</summary>
internal enum TableScope
{
    /// <summary>The installation's, not one partner's: signing keys, login throttle counters, bookkeeping.</summary>
    Installation,

    /// <summary>One partner's: found by the partner column (<see cref="TableEntry.OwnerColumn"/>).</summary>
    Partner,

    /// <summary>One person's: found by the user column (<see cref="TableEntry.OwnerColumn"/>), and so one partner's through the user.</summary>
    User,
}

/// <summary>What <c>worktime partner export</c> writes of a table (docs/deploy.md, "A tenant's data in and out").</summary>
internal enum PartnerExport
{
    /// <summary>Not exported (the reason is the entry's <see cref="TableEntry.Holds"/>): installation state, sessions, counters, derived rows.</summary>
    No,

    /// <summary>Every row of the partner (or of its users), every column but the entry's credential columns unless asked for.</summary>
    Rows,
}

/// <summary>What <c>worktime user erase</c> does with a table (docs/deploy.md, "Erasing a person").</summary>
internal enum ErasureRule
{
    /// <summary>Holds nothing that identifies a person beyond ids: kept as it is.</summary>
    NothingPersonal,

    /// <summary>The <see cref="TableEntry.Personal"/> columns of the person's rows (owner column = the user's id) are overwritten.</summary>
    OverwritePersonalColumns,

    /// <summary>The person's rows (owner column = the user's id) are deleted: sessions and the like, worth nothing once the person is gone.</summary>
    DeleteRows,

    /// <summary>Ended through the sessions of the user (revoked refresh families); no personal data beyond the user id.</summary>
    EndedWithSessions,

    /// <summary>Needs code of its own in Erasure/ (a person's name inside a key, or in rows that name them without an owner column).</summary>
    Special,
}

/// <summary>
/// One table of the schema and how each command that moves or erases data treats it. Every table the migrations
/// create must have an entry in <see cref="TableCatalog"/>: <c>tests/…/Backups/TableCatalogTests.cs</c> fails on a
/// table without one, so a new table is classified when it is added, not when its data goes missing from a copy,
/// an export or an erasure. How to classify one: docs/deploy.md, "Adding a table".
/// </summary>
internal sealed record TableEntry(string Name, TableScope Scope, string Holds)
{
    /// <summary>The column naming the owner: <c>partner_id</c> for partner rows, <c>user_id</c> (or <c>id</c> for users) for a person's.</summary>
    public string? OwnerColumn { get; init; }

    /// <summary>
    /// The rows of a form (docs/forms.md): the row_info columns, ids from the shared allocator, references described
    /// by the form's definition, so an export remaps them without a list here.
    /// </summary>
    public bool IsForm { get; init; }

    /// <summary>Kept by triggers from other tables: <c>db copy</c> and an import rebuild it rather than copy it.</summary>
    public bool Derived { get; init; }

    public PartnerExport Export { get; init; }

    /// <summary>Columns (other than a form's) that hold ids of the shared row-id space: remapped on import.</summary>
    public IReadOnlyList<string> RowIdColumns { get; init; } = [];

    /// <summary>Columns whose value the target database assigns on import (a table's own identity), left out of the insert.</summary>
    public IReadOnlyList<string> GeneratedColumns { get; init; } = [];

    /// <summary>Columns exported only with <c>--with-credentials</c> (otherwise left empty on import).</summary>
    public IReadOnlyList<string> Credentials { get; init; } = [];

    public ErasureRule Erasure { get; init; }

    /// <summary>
    /// Personal columns and what erasure writes over them: a text in which <c>{id}</c> is the user's id, or null for
    /// NULL. With <see cref="ErasureRule.OverwritePersonalColumns"/> and for the users table.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Personal { get; init; } = new Dictionary<string, string?>();

    /// <summary>Free text people write (descriptions): overwritten by <c>user erase --descriptions</c> in rows that are theirs or that they created.</summary>
    public IReadOnlyList<string> FreeText { get; init; } = [];

    /// <summary>
    /// For tables about one person (the users table, <see cref="TableScope.User"/> tables): the columns reviewed as not
    /// personal. With <see cref="Personal"/>, <see cref="Credentials"/> and <see cref="FreeText"/> they must name every
    /// column, so a column added to such a table is classified too.
    /// </summary>
    public IReadOnlyList<string> NotPersonal { get; init; } = [];

    /// <summary>Every column must be classified (see <see cref="NotPersonal"/>).</summary>
    public bool ColumnsReviewed => Scope == TableScope.User || Name == TableCatalog.Users;
}

/// <summary>
/// Every table of the schema, classified for <c>db copy</c> (which copies every table by its schema, so a new table
/// is copied without a change here, unless it is <see cref="TableEntry.Derived"/>), <c>partner export/import</c>
/// (scope, owner column, references) and <c>user erase</c> (personal columns). Adding a table: docs/deploy.md,
/// "Adding a table".
/// </summary>
internal static class TableCatalog
{
    public const string Users = "users";

    public const string Partners = "partners";

    public const string SchemaMigrations = "schema_migrations";

    /// <summary>SQLite's one-row id allocator; on PostgreSQL the sequence of the same name (migration 004).</summary>
    public const string RowIds = "row_ids";

    private const string FormRow = "rows of a form of one partner";

    private static TableEntry Form(string table, string holds, params string[] freeText) =>
        new(table, TableScope.Partner, $"{FormRow}: {holds}")
        {
            OwnerColumn = "partner_id",
            IsForm = true,
            Export = PartnerExport.Rows,
            Erasure = ErasureRule.NothingPersonal,
            FreeText = freeText,
        };

    public static IReadOnlyList<TableEntry> All { get; } =
    [
        new(SchemaMigrations, TableScope.Installation, "the migrations applied (bookkeeping of the schema version)"),
        new(RowIds, TableScope.Installation, "SQLite's allocator of the shared row-id space (PostgreSQL: a sequence)"),
        new(Partners, TableScope.Partner, "the tenants; a partner's row is the head of its export")
        {
            OwnerColumn = "id",
            Export = PartnerExport.Rows,
        },
        new(Users, TableScope.Partner, $"{FormRow}: the people who log in")
        {
            OwnerColumn = "partner_id",
            IsForm = true,
            Export = PartnerExport.Rows,
            Credentials = ["password_hash"],
            Erasure = ErasureRule.OverwritePersonalColumns,
            // What stays is what the books need: the id every worktime points at, level, schedule and balance.
            Personal = new Dictionary<string, string?>
            {
                ["firstname"] = "Erased",
                ["lastname"] = "user {id}",
                ["username"] = "erased-{id}",
                ["username_norm"] = "erased-{id}",
                ["email"] = null,
                ["phone"] = null,
                ["employee_number"] = null,
            },
            NotPersonal =
            [
                "id", "partner_id", "created", "modified", "creator_id", "row_status", "userlevel", "worktimegroup", "status",
                "security_stamp", "tokens_valid_after", "security_version", "username_rules", "saldo_start", "saldo_initial",
            ],
        },
        Form("worktimes", "hours worked", "description"),
        Form("projects", "projects"),
        Form("tasks", "tasks"),
        Form("subtasks", "subtasks"),
        Form("customers", "customers (companies)"),
        Form("worktypes", "kinds of work"),
        Form("worktimegroups", "working-time schedules"),
        Form("abcenses", "absences (a reason may be health data)", "description", "rejection_reason"),
        Form("abcensetypes", "kinds of absence"),
        Form("workdaydays", "calendar exceptions of a schedule"),
        Form("employments", "which schedule applies to a person from a date"),
        Form("saldocorrections", "manual bookings on a balance", "description"),
        Form("periodlocks", "closed periods: worktimes and absences on or before a date (docs/forms.md, \"Period locks\")", "description"),
        Form("wagetypes", "payroll wage-type codes per worktype, absence type and overtime (docs/exports.md, \"Payroll CSV\")"),
        new("form_links", TableScope.Partner, "many-to-many links between form rows (project-task)")
        {
            OwnerColumn = "partner_id",
            Export = PartnerExport.Rows,
            RowIdColumns = ["a_id", "b_id"],
        },
        new("worktime_month_counts", TableScope.Partner, "worktimes counted per month, kept by triggers on worktimes")
        {
            OwnerColumn = "partner_id",
            Derived = true,
        },
        new("audit_records", TableScope.Partner, "the audit trail (installation events have no partner)")
        {
            OwnerColumn = "partner_id",
            Export = PartnerExport.Rows,
            RowIdColumns = ["user_id"],
            GeneratedColumns = ["id"],
            Erasure = ErasureRule.Special, // the person's username and address, also in records without their user id
        },
        new("signing_keys", TableScope.Installation, "the token signing keys (private keys encrypted with Auth:KeyEncryptionKey when set)"),
        new("login_throttle", TableScope.Installation, "failed-login counters by username and address")
        {
            Erasure = ErasureRule.Special, // the key text holds the username
        },
        new("refresh_families", TableScope.User, "one row per login session; tokens are not portable, so not exported")
        {
            OwnerColumn = "user_id",
            Erasure = ErasureRule.EndedWithSessions,
            NotPersonal = ["id", "user_id", "client_id", "created_at", "revoked_at", "revoked_reason"],
        },
        new("web_sessions", TableScope.User, "the web app's browser sessions (docs/webapp.md); sessions are not portable, so not exported")
        {
            OwnerColumn = "user_id",
            Erasure = ErasureRule.DeleteRows,
            Credentials = ["id_hash"],
            Personal = new Dictionary<string, string?> { ["username"] = "erased-{id}" },
            NotPersonal = ["user_id", "partner_id", "user_level", "security_version", "created_at", "expires_at"],
        },
        new("oauth_clients", TableScope.Installation, "the apps registered with worktime client add (docs/auth.md); the installation's, not a partner's"),
        new("oauth_consents", TableScope.User, "a person's remembered \"allow\" for an app (docs/auth.md); not portable, so not exported")
        {
            OwnerColumn = "user_id",
            Erasure = ErasureRule.DeleteRows,
            NotPersonal = ["user_id", "client_id", "granted_at"],
        },
        new("authorization_codes", TableScope.User, "authorization codes (60 s, single use) and what their use started; not exported")
        {
            OwnerColumn = "user_id",
            Erasure = ErasureRule.DeleteRows,
            Credentials = ["id_hash"],
            NotPersonal =
            [
                "client_id", "redirect_uri", "code_challenge", "user_id", "security_version", "created_at", "expires_at", "used_at",
                "reused_at", "family_id",
            ],
        },
        new("device_codes", TableScope.User, "device authorizations (minutes); a waiting one has no person yet; not exported")
        {
            OwnerColumn = "user_id",
            Erasure = ErasureRule.DeleteRows,
            Credentials = ["id_hash", "user_code"],
            NotPersonal =
            [
                "client_id", "created_at", "expires_at", "interval_seconds", "last_polled_ms", "status", "user_id", "security_version",
                "decided_at", "used_at", "reused_at", "family_id",
            ],
        },
        new("totp_factors", TableScope.User, "a person's authenticator app (docs/auth.md, \"Second factors\"); a secret, so not exported")
        {
            OwnerColumn = "user_id",
            Erasure = ErasureRule.DeleteRows,
            Credentials = ["secret"],
            NotPersonal = ["user_id", "partner_id", "created_at", "confirmed_at", "last_step"],
        },
        new("recovery_codes", TableScope.User, "a person's one-time recovery codes, kept as hashes; not exported")
        {
            OwnerColumn = "user_id",
            Erasure = ErasureRule.DeleteRows,
            Credentials = ["code_hash"],
            NotPersonal = ["user_id", "created_at", "used_at"],
        },
        new("passkeys", TableScope.User, "a person's passkeys (docs/auth.md, \"Passkeys\"): public keys, named by the person; not exported (bound to this server's relying party)")
        {
            OwnerColumn = "user_id",
            Erasure = ErasureRule.DeleteRows,
            Credentials = ["public_key"],
            Personal = new Dictionary<string, string?> { ["name"] = null },
            NotPersonal = ["credential_id", "user_id", "partner_id", "sign_count", "created_at", "last_used_at"],
        },
        new("passkey_ceremonies", TableScope.Installation, "WebAuthn ceremonies in progress (5 minutes each); not exported"),
        new("partner_security", TableScope.Partner, "a partner's sign-in policy: the levels that must have a second factor (docs/auth.md, \"A policy per company\")")
        {
            OwnerColumn = "partner_id",
            Export = PartnerExport.Rows,
        },
        new("data_protection_keys", TableScope.Installation, "the web app's antiforgery (data-protection) keys, shared by every node"),
        new("refresh_tokens", TableScope.User, "the refresh tokens of a session (through its family)")
        {
            Erasure = ErasureRule.EndedWithSessions,
            NotPersonal =
            [
                "id_hash", "family_id", "generation", "issued_at", "expires_at", "used_at", "successor_hash", "successor_kid",
                "successor_payload",
            ],
        },
        new("calendar_feeds", TableScope.User, "a person's calendar feeds: secret URLs kept only as token hashes; not portable, so not exported")
        {
            OwnerColumn = "user_id",
            Erasure = ErasureRule.DeleteRows,
            GeneratedColumns = ["id"],
            NotPersonal = ["id", "partner_id", "user_id", "kind", "token_hash", "created_at"],
        },
        new("request_quota", TableScope.User, "requests counted in the current quota window")
        {
            OwnerColumn = "user_id",
            Erasure = ErasureRule.DeleteRows,
            NotPersonal = ["user_id", "window_start", "used"],
        },
    ];

    private static readonly Dictionary<string, TableEntry> ByName = All.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public static TableEntry? Find(string table) => ByName.GetValueOrDefault(table);

    /// <summary>The tables whose <c>id</c> comes from the shared allocator (users and every form).</summary>
    public static IEnumerable<TableEntry> AllocatorTables => All.Where(t => t.IsForm);
}
