// The floor of the JSPI channel: Python suspends in Pyodide's run_sync on a
// promise that the page's answer message resolves. No pyworker.
const { loadPyodide } = await import("/pyworker/pyodide/pyodide.mjs");
const pyodide = await loadPyodide({ indexURL: "/pyworker/pyodide/" });
let answered = null;
self.onmessage = ({ data }) => {
  if (typeof data === "number") {
    const calls = data;
    pyodide.runPythonAsync(`
import time
from pyodide.ffi import run_sync
import jsh
start = time.perf_counter()
for i in range(${calls}):
    assert run_sync(jsh.callMain(i)) == i
(time.perf_counter() - start) / ${calls} * 1e6
`).then((us) => self.postMessage({ us }), (error) => self.postMessage({ error: String(error) }));
  } else {
    answered(data.answer);
  }
};
pyodide.registerJsModule("jsh", {
  callMain: (i) => new Promise((resolve) => {
    answered = resolve;
    self.postMessage(i);
  }),
});
self.postMessage("ready");
