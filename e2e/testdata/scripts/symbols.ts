// The page side of TestSymbolsCross: symbols between a worker's JavaScript and the page.
import { createWorker, type Channel, type Interpreter } from "/pyworker/pyworker.js";
import symbols from "./python/symbols/symbols.py";

declare global {
  var hasSymbol: (symbol: symbol, target: object) => boolean;
  var getSymbol: (symbol: symbol, target: Record<symbol, unknown>) => unknown;
  var hasIterator: (target: object) => boolean;
  var isAppSymbol: (symbol: symbol) => boolean;
}

/** What symbols.py finds, run in a worker of this interpreter on this channel: its list, or its error. */
export async function fromWorker(interpreter: Interpreter, channel: Channel): Promise<unknown> {
  globalThis.hasSymbol = (symbol, target) => symbol in target;
  globalThis.getSymbol = (symbol, target) => target[symbol];
  globalThis.hasIterator = (target) => Symbol.iterator in target;
  globalThis.isAppSymbol = (symbol) => symbol === Symbol.for("app");
  const w = createWorker({ interpreter, channel });
  const got = await w.run(symbols);
  w.terminate();
  return got.results ?? got.error;
}
