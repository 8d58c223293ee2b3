// The page's registration of the service worker (sw.ts), for the
// service-worker channel (see channel.ts).

// The service worker (sw.ts), registered once per page, for the service-worker
// channel. Its scope is the runtime's folder: the worker's requests are all
// it must see.
let serviceWorker: Promise<ServiceWorkerRegistration> | undefined;

export function registerServiceWorker(): Promise<ServiceWorkerRegistration> {
  return (serviceWorker ??= activated(
    navigator.serviceWorker.register(new URL("./sw.js", import.meta.url), { scope: new URL("./", import.meta.url).href }),
    "pyworker's service worker",
  ));
}

/** The registration once its service worker is active; `name` names it in the error if it fails to install. */
export async function activated(registering: Promise<ServiceWorkerRegistration>, name: string): Promise<ServiceWorkerRegistration> {
  const registration = await registering;
  const installing = registration.installing ?? registration.waiting;
  if (installing !== null) {
    await new Promise<void>((resolve, reject) =>
      installing.addEventListener("statechange", () => {
        if (installing.state === "activated") resolve();
        if (installing.state === "redundant") reject(new Error(`${name} failed to install`));
      }),
    );
  }
  return registration;
}
