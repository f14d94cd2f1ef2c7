using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Worktime.Api.Accounts;

namespace Worktime.Api.Tests.Infrastructure;

/// <summary>
/// Reads one app's auth metrics (<see cref="AuthMetrics"/>) from the moment it is created: hashes computed, the
/// most that ran at once, signing-key loads. Only this app's meters are seen, so tests in parallel do not mix.
/// </summary>
public sealed class AuthCounters : IDisposable
{
    private readonly MetricCollector<long> _hashes;
    private readonly MetricCollector<int> _concurrent;
    private readonly MetricCollector<long> _keyLoads;

    public AuthCounters(WorktimeApplication app)
    {
        var meters = app.Services.GetRequiredService<IMeterFactory>();
        _hashes = new(meters, AuthMetrics.MeterName, AuthMetrics.PasswordHashesName);
        _concurrent = new(meters, AuthMetrics.MeterName, AuthMetrics.ConcurrentHashesName);
        _keyLoads = new(meters, AuthMetrics.MeterName, AuthMetrics.SigningKeyLoadsName);
    }

    /// <summary>Argon2id hashes and verifications since this was created.</summary>
    public long Hashes => _hashes.GetMeasurementSnapshot().Sum(m => m.Value);

    /// <summary>The most hashes that ran at once since this was created (0 when none ran).</summary>
    public int PeakConcurrency => _concurrent.GetMeasurementSnapshot().Select(m => m.Value).DefaultIfEmpty().Max();

    /// <summary>Reads of the signing-key set from the database since this was created.</summary>
    public long KeyLoads => _keyLoads.GetMeasurementSnapshot().Sum(m => m.Value);

    public void Dispose()
    {
        _hashes.Dispose();
        _concurrent.Dispose();
        _keyLoads.Dispose();
    }
}
