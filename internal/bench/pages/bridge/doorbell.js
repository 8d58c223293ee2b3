// The floor of a synchronous call: the worker rings a SharedArrayBuffer
// doorbell and blocks in Atomics.wait; the page, waiting in
// Atomics.waitAsync or polling, answers at once. No payload, no Python.
self.onmessage = ({ data: { buffer, calls } }) => {
  const bell = new Int32Array(buffer);
  const start = performance.now();
  for (let i = 0; i < calls; i++) {
    Atomics.store(bell, 0, 1);
    Atomics.notify(bell, 0);
    // Until answered: a wake-up is no answer (Firefox 153 may wake a waiter no one notified).
    while (Atomics.load(bell, 0) === 1) Atomics.wait(bell, 0, 1);
  }
  self.postMessage(((performance.now() - start) * 1000) / calls);
};
