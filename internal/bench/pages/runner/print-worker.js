// Two bare Pyodide workers (no pyworker) that stream output. The naive one
// (the seed's way) posts each line as it is printed (setStdout's batched
// callback). With ?gather, the floor: lines are gathered and posted every
// 15 ms, and the rest when the run ends, as an array each time.
const { loadPyodide } = await import("/pyworker/pyodide/pyodide.mjs");
const pyodide = await loadPyodide({ indexURL: "/pyworker/pyodide/" });
if (new URL(import.meta.url).searchParams.has("gather")) {
  let lines = [];
  let postedAt = performance.now();
  const post = () => {
    self.postMessage(lines);
    lines = [];
    postedAt = performance.now();
  };
  pyodide.setStdout({ batched: (line) => (lines.push(line), performance.now() - postedAt > 15 && post()) });
  self.onmessage = ({ data }) => (pyodide.runPython(data), lines.length > 0 && post());
} else {
  pyodide.setStdout({ batched: (line) => self.postMessage(line) });
  self.onmessage = ({ data }) => pyodide.runPython(data);
}
self.postMessage(null); // ready
