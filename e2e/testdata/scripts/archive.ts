// The page side of archive_test.go: workers started from an archive, and the archive check.
import { asyncRun, createWorker, type Archive } from "/pyworker/pyworker.js";
import unpackPy from "./python/archive/unpack.py";

/** The project testdata/app, packed by the server: greeter's greeting, sys.path[0] and main's welcome. */
export async function project(): Promise<string[]> {
  const w = createWorker({ archive: { url: "/app.zip" }, src: "data:text/x-python,import main" });
  await w.ready;
  const imported = await w.run("import greeter, sys\n(greeter.greet('archive'), sys.path[0])");
  const welcome = (await w.exports.welcome("Ada")) as string;
  w.terminate();
  return [...(imported.results as string[]), welcome];
}

/** A worker started from archive: "ready", or why createWorker or ready refused it. */
export async function start(archive: Archive): Promise<string> {
  let w;
  try {
    w = createWorker({ archive });
  } catch (e) {
    return (e as Error).message;
  }
  const outcome = await w.ready.then(
    () => "ready",
    (e: Error) => e.message,
  );
  w.terminate();
  return outcome;
}

/** The warm worker's archive check unpacking archive (base64) into dir: [what was wrong, whether dir exists after], or [the error]. */
export async function unpack(archive: string, format: string, dir: string): Promise<unknown[]> {
  const data = Uint8Array.from(atob(archive), (c) => c.charCodeAt(0));
  const r = await asyncRun(unpackPy, { data, format, dir });
  return r.error ? [r.error] : (r.results as unknown[]);
}
