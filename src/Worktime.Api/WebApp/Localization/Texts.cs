namespace Worktime.Api.WebApp.Localization;

/// <summary>
/// The web app's texts: the English text is the key (what a page shows in English), <c>Texts.fi.resx</c> holds the
/// Finnish of each. Used as <c>IStringLocalizer&lt;Texts&gt;</c>; a test checks that every text the pages use has
/// its Finnish.
/// </summary>
internal sealed class Texts;
