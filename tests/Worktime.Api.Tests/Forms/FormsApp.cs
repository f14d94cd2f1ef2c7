using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>
/// The app for forms tests: a fake clock fixed at 2026-11-02 08:00 UTC, so "the current month" is November 2026.
/// One instance per test class; every test makes its own partner (<see cref="Tenant"/>), so tests never see each other's rows.
/// </summary>
public class FormsApp : WorktimeApp
{
    public const string CurrentMonthDay = "2026-11-15";

    public FormsApp()
    {
        UseFakeClock = true;
    }
}
