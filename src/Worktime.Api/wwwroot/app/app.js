// Worktime's own script (docs/webapp.md): after each page change, focus goes to the new page's heading, or to the
// first field a form marked invalid, or to a question the page asks (data-focus: "Remove …?"), so keyboard and screen-reader users start where the page does. Blazor's
// enhanced navigation swaps the page without a reload; its "enhancedload" event says when.
(() => {
  let lastPath = location.pathname + location.search;
  const focusStart = (navigated) => {
    const invalid = document.querySelector('main [aria-invalid="true"]');
    const alert = document.querySelector('main [role="alert"]');
    const question = document.querySelector('main [data-focus]');
    const target = invalid || question || (navigated ? document.querySelector('main h1') : alert);
    if (target) {
      target.focus();
    }
  };
  document.addEventListener('DOMContentLoaded', () => focusStart(true));
  if (document.readyState !== 'loading') {
    focusStart(true);
  }
  Blazor.addEventListener('enhancedload', () => {
    const path = location.pathname + location.search;
    focusStart(path !== lastPath);
    lastPath = path;
  });
})();
