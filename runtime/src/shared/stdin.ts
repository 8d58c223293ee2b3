// input() on a worker made without a stdin function: the page's readLine
// (pagefunctions.ts) and the worker, when it has no channel to ask on, both end it so.

/** The error of input() on a worker made without a stdin function; Python raises it as EOFError. */
export function noStdin(): Error {
  const error = new Error("input() has nothing to read: give createWorker a stdin function");
  error.name = "EOFError";
  return error;
}
