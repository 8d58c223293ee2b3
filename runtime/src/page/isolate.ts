// /pyworker/isolate.js, a classic script for hosts that cannot send the
// cross-origin isolation headers: `<script src="/pyworker/isolate.js"></script>`
// first in the page. It registers the service worker (sw.ts) for the whole
// site (it adds the headers to what it serves), and reloads the page
// once so that the service worker serves it: the page is then isolated and
// its workers use shared memory. Once per session, so it can never loop.
// A host that cannot send Service-Worker-Allowed either (GitHub Pages) needs
// a copy of sw.js at the site's root, named by `data-service-worker`
// (pyworker build writes one): it is registered for its own folder.

import { activated } from "./serviceworker";

const tried = "pyworker-isolate-reloaded";
const script = document.currentScript as HTMLScriptElement | null;

if (!globalThis.crossOriginIsolated && window.isSecureContext && "serviceWorker" in navigator && script !== null) {
  const atRoot = script.dataset.serviceWorker;
  const registering =
    atRoot === undefined
      ? navigator.serviceWorker.register(new URL("./sw.js", script.src), { scope: "/" })
      : navigator.serviceWorker.register(new URL(atRoot, location.href));
  activated(registering, "pyworker's service worker")
    .then(() => {
      if (sessionStorage.getItem(tried) === null) {
        sessionStorage.setItem(tried, "1");
        location.reload();
      }
    })
    .catch((error: unknown) => console.error("pyworker: could not isolate the page with a service worker:", error));
}
