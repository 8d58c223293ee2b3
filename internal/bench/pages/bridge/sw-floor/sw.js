// The floor of the service-worker channel, its service worker: a worker's
// synchronous request is held until the page posts the answer. No Python.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
let answer = null;
let waiting = null;
self.addEventListener("message", (event) => {
  if (waiting) {
    waiting(event.data);
    waiting = null;
  } else {
    answer = event.data;
  }
});
self.addEventListener("fetch", (event) => {
  if (!event.request.url.endsWith("/ask")) return;
  event.respondWith(
    (answer !== null ? Promise.resolve(answer) : new Promise((resolve) => (waiting = resolve))).then((body) => {
      answer = null;
      return new Response(body);
    }),
  );
});
