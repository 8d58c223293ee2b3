// The page half of the floors: the same shape of client as the docs' pattern
// (resolvers by call id, the context's values spread into the message) in
// front of workers that run nothing. What a call costs here is what any
// worker round trip costs on this browser.
//
// call() goes to a worker that posts every message back, callBatched() as
// a batch with the others of its task (see below). A call that
// transfers buffers goes instead to one that answers with the call's id
// alone: posting a 10^7-element array back would add a second crossing that
// the figure it is the floor of does not have.

const waiting = new Map();
let lastId = 0;

function connect(url) {
  const worker = new Worker(url, { type: "module" });
  worker.onmessage = (event) => {
    const resolve = waiting.get(event.data.id);
    waiting.delete(event.data.id);
    resolve(event.data);
  };
  return worker;
}

const echo = connect("./worker.js");
const sink = connect("./sink.js");

// callBatched: the calls made in one task go as one message, as pyworker's
// Outbox sends them, to a worker that posts the batch straight back.
const batches = new Worker("./worker.js", { type: "module" });
batches.onmessage = (event) => {
  for (const { id } of event.data) {
    const resolve = waiting.get(id);
    waiting.delete(id);
    resolve({ id });
  }
};
let batch = [];

export function callBatched(code, context) {
  const id = ++lastId;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    if (batch.length === 0) {
      queueMicrotask(() => {
        batches.postMessage(batch);
        batch = [];
      });
    }
    batch.push({ ...context, python: code, id });
  });
}

export function call(code, context, transfer) {
  const id = ++lastId;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    const message = { ...context, python: code, id };
    if (transfer) sink.postMessage(message, transfer);
    else echo.postMessage(message);
  });
}
