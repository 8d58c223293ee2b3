// The pages of PyScript apps: bench.cold() resolves to the time from navigation
// (performance.now()'s origin) to the first element whose text is "first print",
// which the app writes to the page (from a worker, through the page: both runtimes'
// display()). A classic script, first in the page, so that it sees every change.
{
  let shown;
  const first = new Promise((resolve) => (shown = resolve));
  const seen = () => [...document.querySelectorAll("body *")].some((e) => e.childElementCount === 0 && e.textContent === "first print");
  new MutationObserver(() => seen() && shown(performance.now())).observe(document, { childList: true, subtree: true, characterData: true });
  window.bench = { name: document.title, cold: () => first };
}
