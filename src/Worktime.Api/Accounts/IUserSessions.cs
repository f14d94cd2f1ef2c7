namespace Worktime.Api.Accounts;

/// <summary>
/// The tokens of a user, as far as accounts need to end them. Implemented by the Auth feature (which owns tokens),
/// so the arrow stays Auth → Accounts: accounts say "this user's access changed", Auth knows what that means.
/// </summary>
internal interface IUserSessions
{
    /// <summary>Revokes every refresh family of the user and drops the node's cached access state.</summary>
    Task EndAllAsync(long userId, string reason, CancellationToken ct);

    /// <summary>Drops the node's cached access state (the user was restored or reactivated: let them in now).</summary>
    void Forget(long userId);
}
