using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Worktime.Api.Http;

namespace Worktime.Api.Auth;

/// <summary>
/// Bearer tokens on every protected route (docs/auth.md, docs/security.md, requirement 5): the header is checked
/// for shape before any crypto, the token with <see cref="TokenValidation"/>, then its kind (no refresh tokens),
/// its identity claims and the user's current state. Failures answer the exact 401 bodies and
/// <c>WWW-Authenticate</c> headers of RFC 6750 section 3.
/// </summary>
internal static class BearerAuthentication
{
    public static void Configure(JwtBearerOptions options, TokenValidation validation, BearerTokenCache tokens)
    {
        options.MapInboundClaims = false;
        options.RequireHttpsMetadata = false;
        options.TokenValidationParameters = validation.Parameters();
        options.TokenHandlers.Clear();
        options.TokenHandlers.Add(tokens);
        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = ReadToken,
            OnTokenValidated = CheckTokenAsync,
            OnChallenge = ChallengeAsync,
            OnForbidden = context => ApiError.WriteAsync(context.HttpContext, 403, "forbidden", "You are not allowed to do that."),
        };
    }

    private static Task ReadToken(MessageReceivedContext context)
    {
        var headers = context.Request.Headers.Authorization;
        if (headers.Count == 0)
        {
            return Task.CompletedTask; // no credentials: the challenge says invalid_request
        }
        var value = headers.Count == 1 ? headers[0] ?? "" : "";
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || !value[..space].Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return Task.CompletedTask; // another scheme is not a bearer credential
        }
        var token = value[(space + 1)..].Trim(' ');
        if (!TokenFormat.IsWellFormed(token))
        {
            context.Fail(new SecurityTokenMalformedException("malformed token"));
            return Task.CompletedTask;
        }
        context.Token = token;
        return Task.CompletedTask;
    }

    private static async Task CheckTokenAsync(TokenValidatedContext context)
    {
        var services = context.HttpContext.RequestServices;
        var token = services.GetRequiredService<CallerClaims>().Read(context.Principal!);
        if (token is null)
        {
            context.Fail(new SecurityTokenValidationException("not an access token"));
            return;
        }
        var cache = services.GetRequiredService<UserAccessCache>();
        if (!await cache.AllowsAsync(token.Principal.Caller.UserId, token.SecurityVersion, context.HttpContext.RequestAborted))
        {
            context.Fail(new SecurityTokenValidationException("user no longer has access"));
            return;
        }
        // The request's user from here on: the same identity, carrying the caller read once (CurrentUser.Of).
        context.Principal = token.Principal;
    }

    private static async Task ChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var response = context.HttpContext.Response;
        if (context.AuthenticateFailure is null)
        {
            response.Headers.WWWAuthenticate = "Bearer realm=\"api\"";
            await ApiError.WriteAsync(context.HttpContext, 401, "invalid_request",
                "Authentication is required: send Authorization: Bearer <access token>.");
            return;
        }
        response.Headers.WWWAuthenticate = "Bearer realm=\"api\", error=\"invalid_token\"";
        await ApiError.WriteAsync(context.HttpContext, 401, "invalid_token",
            context.AuthenticateFailure is SecurityTokenExpiredException ? "expired token" : "The access token is invalid.");
    }
}
