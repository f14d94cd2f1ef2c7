using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Worktime.Api.Tests.Infrastructure;

namespace Worktime.Api.Tests.TwoFactor;

/// <summary>
/// A browser by hand against the in-memory app (so the fake clock drives the codes): its own cookies (the web app's
/// are Secure, which .NET's cookie container would not send over http), the pages' antiforgery fields, no redirects
/// followed, and one client address (<see cref="WorktimeApplication.RemoteIpHeader"/>). The server's name is
/// <c>localhost</c> unless <paramref name="baseAddress"/> names another (plain http at a name that is not loopback).
/// </summary>
public sealed partial class WebLoginClient(WorktimeApplication app, string ip, Uri? baseAddress = null) : IDisposable
{
    private readonly HttpClient _http = app.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false, HandleCookies = false, BaseAddress = baseAddress ?? new Uri("http://localhost"),
    });

    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    public bool HasSession => Cookies.Keys.Any(k => k.EndsWith("worktime-session", StringComparison.Ordinal));

    public async Task<HttpResponseMessage> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendAsync(request);
    }

    /// <summary>GETs the page, then posts its form <paramref name="formName"/> with the page's antiforgery token.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string path, string formName, Dictionary<string, string> fields)
    {
        string html;
        using (var page = await GetAsync(path))
        {
            html = await page.Content.ReadAsStringAsync();
            page.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        }
        var form = new Dictionary<string, string>(fields)
        {
            ["_handler"] = formName,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        return await SendAsync(request);
    }

    /// <summary>GETs <paramref name="page"/>, then posts <paramref name="fields"/> with its antiforgery token to <paramref name="path"/> (what the pages' script does).</summary>
    public async Task<HttpResponseMessage> PostWithTokenOfAsync(string page, string path, Dictionary<string, string> fields)
    {
        string html;
        using (var answer = await GetAsync(page))
        {
            html = await answer.Content.ReadAsStringAsync();
            answer.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        }
        var form = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        return await SendAsync(request);
    }

    /// <summary>The login page's password step: answers the redirect (to the code step, or to where the login returns).</summary>
    public Task<HttpResponseMessage> PasswordAsync(string username, string password, string returnPath = "/app/week") =>
        SubmitAsync("/app/login?return=" + Uri.EscapeDataString(returnPath), "login", new()
        {
            ["Input.Username"] = username, ["Input.Password"] = password, ["Input.Return"] = returnPath,
        });

    public Task<HttpResponseMessage> CodeAsync(string code, string returnPath = "/app/week") =>
        SubmitAsync("/app/login/code?return=" + Uri.EscapeDataString(returnPath), "login-code", new()
        {
            ["Input.Code"] = code, ["Input.Return"] = returnPath,
        });

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        request.Headers.Add(WorktimeApplication.RemoteIpHeader, ip);
        if (Cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => c.Key + "=" + c.Value)));
        }
        var response = await _http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var line in setCookies)
            {
                var pair = line.Split(';')[0];
                var (name, value) = (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                if (value.Length == 0 || line.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    Cookies.Remove(name);
                }
                else
                {
                    Cookies[name] = value;
                }
            }
        }
        return response;
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
