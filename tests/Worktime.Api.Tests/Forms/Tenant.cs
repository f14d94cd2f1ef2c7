using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Forms;

/// <summary>A logged-in user of a test partner.</summary>
public sealed record TenantUser(long Id, int Level, string Username, HttpClient Client);

/// <summary>
/// A fresh partner with one logged-in user per level (1 worker … 5 admin) and, for own-vs-others tests, a second
/// worker. Tests that need fewer users name the levels (each user costs a password hash and a login).
/// </summary>
public sealed class Tenant
{
    private static int _counter;

    public required long PartnerId { get; init; }

    public required IReadOnlyDictionary<int, TenantUser> ByLevel { get; init; }

    public TenantUser OtherWorker => Other ?? throw new InvalidOperationException("This tenant was made without the second worker.");

    public TenantUser? Other { get; init; }

    public TenantUser Worker => ByLevel[1];

    public TenantUser Foreman => ByLevel[2];

    public TenantUser Supervisor => ByLevel[3];

    public TenantUser Manager => ByLevel[4];

    public TenantUser Admin => ByLevel[5];

    /// <summary>Every level plus the second worker.</summary>
    public static Task<Tenant> CreateAsync(WorktimeApplication app) => CreateAsync(app, [1, 2, 3, 4, 5], otherWorker: true);

    public static async Task<Tenant> CreateAsync(WorktimeApplication app, int[] levels, bool otherWorker = false, string? name = null)
    {
        var tag = $"t{Interlocked.Increment(ref _counter)}x{Guid.NewGuid().ToString("N")[..8]}";
        var partner = await app.CreatePartnerAsync(name ?? tag, "fi");
        var users = new Dictionary<int, TenantUser>();
        foreach (var level in levels)
        {
            users[level] = await LoginAsync(app, partner, $"{tag}.l{level}", level);
        }
        return new Tenant
        {
            PartnerId = partner,
            ByLevel = users,
            Other = otherWorker ? await LoginAsync(app, partner, $"{tag}.other", 1) : null,
        };
    }

    private static async Task<TenantUser> LoginAsync(WorktimeApplication app, long partner, string username, int level)
    {
        var id = await app.CreateUserAsync(partner, username, level);
        return new TenantUser(id, level, username, await app.LoginClientAsync(username));
    }
}
