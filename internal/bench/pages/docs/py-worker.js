// The page half of the Pyodide docs' "Using Pyodide in a web worker" pattern
// (their py-worker.js), written afresh for the benchmark with the same logic:
// one worker, made when this module is first imported; resolvers kept by
// call id; an asyncRun(script, context) that numbers the call and posts the
// context's values as top-level fields of the message, beside the source and
// the id, so postMessage clones them all.
//
// One change, forced by Pyodide 314: it runs only in module workers, so the
// worker is created with {type: "module"}.

const worker = new Worker("./dist/webworker.js", { type: "module" });

// Resolvers of the calls not yet answered, by id.
const waiting = {};

worker.onmessage = (event) => {
  const { id, ...answer } = event.data;
  const resolve = waiting[id];
  delete waiting[id];
  resolve(answer);
};

const asyncRun = (() => {
  let lastId = 0;
  return (script, context) => {
    // Wraps before leaving the safe integers, as the docs' version does.
    lastId = (lastId + 1) % Number.MAX_SAFE_INTEGER;
    const id = lastId;
    return new Promise((resolve) => {
      waiting[id] = resolve;
      worker.postMessage({ ...context, python: script, id });
    });
  };
})();

export { asyncRun };
