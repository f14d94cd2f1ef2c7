using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Worktime.Api.Tests.WebApp;

/// <summary>
/// What every page of the web app must be (docs/webapp.md, "Accessibility"): axe-core finds nothing serious or
/// critical; it has <c>&lt;html lang&gt;</c>, a title and an <c>&lt;h1&gt;</c> that has the focus; and on a 390 px
/// phone nothing scrolls sideways and every control is at least 44 × 44 px.
/// </summary>
public static class PageChecks
{
    private static readonly AxeRunOptions ViolationsOnly = new() { ResultTypes = [ResultType.Violations] };

    /// <summary>
    /// Runs axe on the page as it is (every rule, the page and its frames) and fails with each serious or critical
    /// violation and its elements; answers the number of violations of any impact.
    /// </summary>
    /// <remarks>
    /// axe-core's own <c>axe.run</c> in the page ("legacy" mode to the library): the library's default mode runs the
    /// rules per frame and then opens a blank page (a browser context and renderer process of its own) to merge the
    /// frames' results, built for cross-origin frames, which these pages do not have — per check that cost about
    /// 1.5 s of CPU against 0.25 s. Only the violations are collected in full (<c>resultTypes</c>): the rules and the
    /// violations found are the same, axe just skips building selectors for every passing element.
    /// </remarks>
    public static async Task<int> ShouldPassAxeAsync(this IPage page)
    {
#pragma warning disable CS0618 // RunAxeLegacy: see the remarks; the same rules and results as RunAxe on a page without cross-origin frames
        AxeResult result = await page.RunAxeLegacy(options: ViolationsOnly);
#pragma warning restore CS0618
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        bad.ShouldBeEmpty(string.Join("\n", bad.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")) + $" on {page.Url}");
        return result.Violations.Length;
    }

    /// <summary>lang, a title, and the focus on the page's h1 (after a load or an enhanced navigation).</summary>
    public static async Task ShouldHaveLanguageTitleAndFocusedHeadingAsync(this IPage page, string lang)
    {
        (await page.Locator("html").GetAttributeAsync("lang")).ShouldBe(lang);
        (await page.TitleAsync()).ShouldEndWith("– Worktime");
        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.tagName === 'H1'");
    }

    /// <summary>On the current viewport: no sideways scrolling, and every visible control at least 44 × 44 CSS px.</summary>
    public static async Task ShouldFitAPhoneAsync(this IPage page)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        overflow.ShouldBeLessThanOrEqualTo(0, $"{page.Url} scrolls sideways by {overflow}px");
        var small = await page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, [tabindex="0"]')]
              .filter(e => e.offsetParent !== null || e.getClientRects().length)
              .map(e => [e, e.getBoundingClientRect()])
              .filter(([e, r]) => r.width > 0 && (r.width < 44 || r.height < 44) && !e.closest('.skip'))
              .map(([e, r]) => `${e.tagName.toLowerCase()} "${(e.textContent || e.name || e.id).trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`)
            """);
        small.ShouldBeEmpty($"controls smaller than 44x44 on {page.Url}");
    }
}
