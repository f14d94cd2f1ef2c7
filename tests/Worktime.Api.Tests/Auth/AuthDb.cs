using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Worktime.Api.Data;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.Auth;

/// <summary>Direct SQL for tests that plant or inspect state the API does not expose.</summary>
internal static class AuthDb
{
    public static async Task<T> ScalarAsync<T>(this WorktimeApplication app, string sql, object? parameters = null)
    {
        await using var connection = await app.Services.GetRequiredService<Database>().OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public static async Task<int> ExecuteAsync(this WorktimeApplication app, string sql, object? parameters = null)
    {
        await using var connection = await app.Services.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteAsync(sql, parameters);
    }
}
