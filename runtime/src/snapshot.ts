// Pyodide memory snapshots: the interpreter's heap just after it started and
// imported pyworker's Python module, which a new worker copies in rather than
// starting Python again (see pyodide.ts). A snapshot fits one build of
// Pyodide and one version of the Python module, so it is checked before use;
// a worker that has none, or one that fails a check, starts plainly and says why.

/** A snapshot the server offers (`pyworker fetch` makes it: see internal/snapshot). */
export interface SnapshotSource {
  /** Absolute URL. */
  url: string;
  /** Its SHA-256, hex. */
  sha256: string;
  /** The Pyodide build it was made by (pyodide.mjs's BUILD_ID). */
  buildId: string;
}

/** The header Pyodide writes: a magic number, then (from the 5th 32-bit word) a 256-bit build id. */
const MAGIC = 0x706e7300;
const HEADER_BYTES = 48;

/** The build id in a snapshot's header, or why it has none. */
function buildIdOf(bytes: Uint8Array): string | Error {
  if (bytes.byteLength < HEADER_BYTES || bytes.byteOffset % 4 !== 0) return new Error("it is too short to be one");
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, HEADER_BYTES / 4);
  if (words[0] !== MAGIC) return new Error("it does not start as a Pyodide snapshot does");
  return Array.from(words.subarray(4, 12), (word) => word.toString(16).padStart(8, "0")).join("");
}

/** Throws, saying why, unless the snapshot was made by Pyodide build `buildId`. */
export function checkBuild(bytes: Uint8Array, buildId: string): void {
  const made = buildIdOf(bytes);
  if (made instanceof Error) throw made;
  if (made !== buildId) throw new Error(`it was made by another build of Pyodide (${made.slice(0, 12)}…, this one is ${buildId.slice(0, 12)}…)`);
}

/** Fetches the server's snapshot and checks it: its hash, then its build. */
export async function fetchSnapshot(source: SnapshotSource): Promise<Uint8Array> {
  const response = await fetch(source.url).catch((error: unknown) => {
    throw new Error(`fetching ${source.url} failed (${error})`);
  });
  if (!response.ok) throw new Error(`fetching ${source.url}: ${response.status} ${response.statusText}`.trimEnd());
  const bytes = new Uint8Array(await response.arrayBuffer());
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const sha256 = Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
  if (sha256 !== source.sha256) throw new Error(`${source.url} is not the snapshot the server named (its SHA-256 is ${sha256.slice(0, 12)}…, not ${source.sha256.slice(0, 12)}…)`);
  checkBuild(bytes, source.buildId);
  return bytes;
}
