// The service worker (/pyworker/sw.js). Its job is the "service-worker"
// channel (see channel.ts): a worker blocked in a synchronous
// XMLHttpRequest to /pyworker/sw-answer?channel=ID gets as its response the
// answer the page posts here for that channel. Requests and answers meet in
// `slots`, whichever comes first.
//
// It adds the cross-origin isolation headers to every response it handles,
// for hosts that cannot set them: registered for the whole site (by
// isolate.js), it makes the pages isolated after one reload; registered for
// /pyworker/ (the service-worker channel), it gives the worker's files the
// headers an isolated page requires of them.

/// <reference lib="webworker" />

import { SERVICE_WORKER_PATH } from "../shared/channel";

declare const self: ServiceWorkerGlobalScope;

/** A channel's answer waiting for its request, or a request waiting for its answer. */
type Slot = { answer: Uint8Array } | { waiting: (answer: Uint8Array) => void };
const slots = new Map<string, Slot>();

self.addEventListener("install", () => void self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

/** The page's answer: `{channel, answer}`. */
self.addEventListener("message", (event) => {
  const { channel, answer } = event.data as { channel: string; answer: Uint8Array };
  const slot = slots.get(channel);
  if (slot !== undefined && "waiting" in slot) {
    slots.delete(channel);
    slot.waiting(answer);
  } else {
    slots.set(channel, { answer });
  }
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.pathname.endsWith("/" + SERVICE_WORKER_PATH)) event.respondWith(answerFor(url.searchParams.get("channel") ?? ""));
  else event.respondWith(withIsolationHeaders(event.request));
});

async function answerFor(channel: string): Promise<Response> {
  const slot = slots.get(channel);
  let answer: Uint8Array;
  if (slot !== undefined && "answer" in slot) {
    slots.delete(channel);
    answer = slot.answer;
  } else {
    answer = await new Promise((resolve) => slots.set(channel, { waiting: resolve }));
  }
  return new Response(answer as Uint8Array<ArrayBuffer>, {
    headers: { "Content-Type": "application/octet-stream", "Cache-Control": "no-store", "X-Pyworker-Answer": "1" },
  });
}

/** The statuses a Response cannot be made with a body for. */
const NULL_BODY_STATUSES = [101, 103, 204, 205, 304];

async function withIsolationHeaders(request: Request): Promise<Response> {
  const response = await fetch(request);
  if (response.type === "opaque" || response.type === "opaqueredirect") return response;
  const headers = new Headers(response.headers);
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  headers.set("Cross-Origin-Resource-Policy", "cross-origin");
  const { status, statusText } = response;
  // WebKit revalidates a cached script through the service worker: a 304 must stay without a body.
  const body = NULL_BODY_STATUSES.includes(status) ? null : response.body;
  return new Response(body, { status, statusText, headers });
}
