// The worker half of the Pyodide docs' "Using Pyodide in a web worker"
// pattern (their webworker.js), written afresh for the benchmark with the
// same logic: start loading Pyodide at once; for every message, wait for it,
// copy the context's values onto the worker's global object (where
// `from js import NAME` finds them, and where they stay for later calls),
// load the packages the source imports, run it with runPythonAsync, and post
// back {results, id} or {error, id}.
//
// Changes, each forced by this setting:
//  - Pyodide 314 runs only in module workers, so instead of importScripts of
//    pyodide.js this imports loadPyodide from pyodide.mjs (and py-worker.js
//    starts this worker with {type: "module"});
//  - indexURL names the copy the benchmark's server hosts;
//  - the docs' loadPackage(["numpy", "pytz"]) after loadPyodide is left out:
//    numpy and pytz are not in the offline asset set that server has (only
//    the interpreter, its standard library and the lock file), and no figure
//    uses them.

import { loadPyodide } from "/pyworker/pyodide/pyodide.mjs";

async function start() {
  self.pyodide = await loadPyodide({ indexURL: "/pyworker/pyodide/" });
}
const started = start();

self.onmessage = async (event) => {
  // Every call waits for the interpreter; once it is up, this is at once.
  await started;
  const { id, python, ...context } = event.data;
  for (const name of Object.keys(context)) {
    self[name] = context[name];
  }
  try {
    await self.pyodide.loadPackagesFromImports(python);
    const results = await self.pyodide.runPythonAsync(python);
    self.postMessage({ results, id });
  } catch (error) {
    self.postMessage({ error: error.message, id });
  }
};
