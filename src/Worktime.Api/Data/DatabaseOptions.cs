namespace Worktime.Api.Data;

/// <summary>Settings of the <c>Database</c> section (the connection string itself is <c>ConnectionStrings:Worktime</c>).</summary>
internal sealed class DatabaseOptions
{
    public const string DefaultConnectionString = "Data Source=data/worktime.db";

    /// <summary>Upper bound of pooled PostgreSQL connections per node.</summary>
    public int MaxPoolSize { get; set; } = 50;

    /// <summary>Apply pending migrations when the server starts.</summary>
    public bool AutoMigrate { get; set; } = true;
}
