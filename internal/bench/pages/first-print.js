// The pages of Python on the page: bench.cold() resolves to the time from
// navigation (performance.now()'s origin) to the page's first print, which
// both runtimes send to console.log. A classic script, first in the page,
// so that it sees every line.
{
  let printed;
  const first = new Promise((resolve) => (printed = resolve));
  const log = console.log;
  console.log = (...args) => {
    if (args.join(" ") === "first print") printed(performance.now());
    log.apply(console, args);
  };
  window.bench = { name: document.title, cold: () => first };
}
