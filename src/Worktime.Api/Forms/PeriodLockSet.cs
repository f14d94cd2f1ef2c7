using Worktime.Api.Forms.Definitions;

namespace Worktime.Api.Forms;

/// <summary>
/// The live period locks of one partner (docs/forms.md, "Period locks"): the last locked date of the whole partner and
/// of each user. Part of the engine's door: a page's rows come with it, so whoever shows them can tell (and
/// <see cref="FormRows.Privileges"/> does) that a row a lock covers can be neither edited nor removed.
/// </summary>
internal sealed class PeriodLockSet(string? partnerWide, IReadOnlyDictionary<long, string> perUser)
{
    public static readonly PeriodLockSet None = new(null, new Dictionary<long, string>());

    public bool IsEmpty => partnerWide is null && perUser.Count == 0;

    /// <summary>The last locked date (<c>YYYY-MM-DD</c>) of a user's rows; null when nothing of theirs is locked.</summary>
    public string? LockedThrough(long? user)
    {
        var own = user is { } id ? perUser.GetValueOrDefault(id) : null;
        return own is null || (partnerWide is not null && string.CompareOrdinal(partnerWide, own) >= 0) ? partnerWide : own;
    }

    /// <summary>True when a row dated <paramref name="date"/> of <paramref name="user"/> is closed by a lock (a row without a date never is).</summary>
    public bool Covers(string? date, long? user) =>
        date is not null && LockedThrough(user) is { } end && string.CompareOrdinal(date, end) <= 0;

    /// <summary>True when the row (a stored row's or a write's values) is closed by a lock under <paramref name="rule"/>.</summary>
    public bool Covers(PeriodLockRule rule, Func<string, object?> value) =>
        Covers(value(rule.DateField) as string, value(rule.UserField) as long?);
}
