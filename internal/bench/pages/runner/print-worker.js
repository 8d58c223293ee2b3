// The seed's way to stream output: a bare Pyodide worker whose stdout posts
// each line to the page as it is printed (setStdout's batched callback). No
// pyworker.
const { loadPyodide } = await import("/pyworker/pyodide/pyodide.mjs");
const pyodide = await loadPyodide({ indexURL: "/pyworker/pyodide/" });
pyodide.setStdout({ batched: (line) => self.postMessage(line) });
self.onmessage = ({ data }) => pyodide.runPython(data);
self.postMessage(null); // ready
