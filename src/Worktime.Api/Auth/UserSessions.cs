using Worktime.Api.Accounts;

namespace Worktime.Api.Auth;

/// <summary>What ending a user's sessions means for tokens: refresh families revoked, the bearer check's cache dropped.</summary>
internal sealed class UserSessions(RefreshTokenStore refreshTokens, UserAccessCache accessCache) : IUserSessions
{
    public async Task EndAllAsync(long userId, string reason, CancellationToken ct)
    {
        await refreshTokens.RevokeUserFamiliesAsync(userId, reason, ct);
        accessCache.Invalidate(userId);
    }

    public void Forget(long userId) => accessCache.Invalidate(userId);
}
