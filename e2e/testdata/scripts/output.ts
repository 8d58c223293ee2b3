// The page side of output_test.go: workers whose printed lines the page collects.
import { createWorker, type PyWorker } from "/pyworker/pyworker.js";
import computingPy from "./python/output/computing.py";
import inOrderPy from "./python/output/in_order.py";
import printingPy from "./python/output/printing.py";

/** 100,000 lines, every 1000th to stderr: how many came, and the first out of place (-1: none). */
export async function inOrder(): Promise<{ count: number; wrong: number; at?: string }> {
  const lines: string[] = [];
  const w = createWorker({ stdout: (l) => lines.push(l), stderr: (l) => lines.push("err " + l) });
  await w.run(inOrderPy);
  w.terminate();
  const wrong = lines.findIndex((l, i) => l !== (i % 1000 === 999 ? "err " : "") + i);
  return { count: lines.length, wrong, at: lines[wrong] };
}

/**
 * A loop that prints and one that computes after printing, each interrupted
 * by the page once it sees the line it waits for.
 */
export async function streams(): Promise<{
  printing?: string;
  count: number;
  gap: number;
  computing?: string;
  line?: number;
}> {
  const lines: string[] = [];
  const w: PyWorker = createWorker({
    stdout: (l) => {
      lines.push(l);
      if (l === "20000" || l === "computing") w.interrupt();
    },
  });
  const printing = await w.run(printingPy);
  const printed = lines.splice(0);
  const computing = await w.run(computingPy);
  w.terminate();
  return {
    printing: printing.exception?.type,
    count: printed.length,
    gap: printed.findIndex((l, i) => l !== String(i)),
    computing: computing.exception?.type,
    line: computing.exception?.line,
  };
}
