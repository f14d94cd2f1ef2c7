namespace Worktime.Api.Backups;

/// <summary>
/// What a backup, restore, check or copy found: nothing wrong and a one-line summary, or the problems, one per line.
/// Expected failures (a file that exists, a server holding the database, a missing pg_dump) are problems, not exceptions.
/// </summary>
internal sealed record BackupOutcome(IReadOnlyList<string> Problems, string Summary)
{
    public bool Ok => Problems.Count == 0;

    public static BackupOutcome Done(string summary) => new([], summary);

    public static BackupOutcome Fail(string problem) => new([problem], "");

    public static BackupOutcome Fail(IReadOnlyList<string> problems) => new(problems, "");
}
