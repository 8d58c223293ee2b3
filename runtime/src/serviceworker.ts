// The page's registration of the service worker (sw.ts), for the
// service-worker channel (see channel.ts).

// The service worker (sw.ts), registered once per page, for the service-worker
// channel. Its scope is the runtime's folder: the worker's requests are all
// it must see.
let serviceWorker: Promise<ServiceWorkerRegistration> | undefined;

export function registerServiceWorker(): Promise<ServiceWorkerRegistration> {
  return (serviceWorker ??= (async () => {
    const registration = await navigator.serviceWorker.register(new URL("./sw.js", import.meta.url), {
      scope: new URL("./", import.meta.url).href,
    });
    const installing = registration.installing ?? registration.waiting;
    if (installing !== null) {
      await new Promise<void>((resolve, reject) =>
        installing.addEventListener("statechange", () => {
          if (installing.state === "activated") resolve();
          if (installing.state === "redundant") reject(new Error("the service worker failed to install"));
        }),
      );
    }
    return registration;
  })());
}
