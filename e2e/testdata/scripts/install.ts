// The page side of install_test.go and mirror_test.go: packages installed from Python.
import { createWorker } from "/pyworker/pyworker.js";
import cannotInstall from "./python/install/cannot_install.py";
import each from "./python/install/each.py";
import tinypkg from "./python/install/tinypkg.py";

/** install_imports of tinypkg, of what cannot be installed, and a run's own import: each run's error or results. */
export async function installImports(): Promise<unknown[]> {
  const w = createWorker();
  const replies = [];
  for (const code of [tinypkg, cannotInstall, "import autopkg\nautopkg.hello()"]) {
    const { results, error } = await w.run(code);
    replies.push(error ?? results);
  }
  return replies;
}

/** install_imports of each of names, on a new worker: each one's hello() or error, or [the run's error]. */
export async function installEach(names: string[]): Promise<unknown[]> {
  const w = createWorker();
  try {
    const { results, error } = await w.run(each.replace("NAMES", JSON.stringify(names)));
    return error === undefined ? (results as unknown[]) : [error];
  } finally {
    w.terminate();
  }
}
