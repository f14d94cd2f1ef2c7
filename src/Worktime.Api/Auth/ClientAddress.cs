namespace Worktime.Api.Auth;

/// <summary>
/// The address brute-force counters are keyed by: the connection's remote address. Behind a proxy, configure
/// ASP.NET Core's forwarded-headers middleware so this is the client's address, not the proxy's.
/// </summary>
internal static class ClientAddress
{
    public static string Of(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }
        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }
}
