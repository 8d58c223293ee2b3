// /pyworker/isolate.js, a classic script for hosts that cannot send the
// cross-origin isolation headers: `<script src="/pyworker/isolate.js"></script>`
// first in the page. It registers the service worker (sw.ts) for the whole
// site (it adds the headers to what it serves), and reloads the page
// once so that the service worker serves it: the page is then isolated and
// its workers use shared memory. Once per session, so it can never loop.

import { activated } from "./serviceworker";

const tried = "pyworker-isolate-reloaded";
const script = document.currentScript as HTMLScriptElement | null;

if (!globalThis.crossOriginIsolated && window.isSecureContext && "serviceWorker" in navigator && script !== null) {
  activated(navigator.serviceWorker.register(new URL("./sw.js", script.src), { scope: "/" }), "pyworker's service worker")
    .then(() => {
      if (sessionStorage.getItem(tried) === null) {
        sessionStorage.setItem(tried, "1");
        location.reload();
      }
    })
    .catch((error: unknown) => console.error("pyworker: could not isolate the page with a service worker:", error));
}
