// Pyodide memory snapshots: the interpreter's heap just after it started and
// imported pyworker's Python module, which a new worker copies in rather than
// starting Python again (see pyodide.ts). A snapshot fits one build of
// Pyodide and one version of the Python module, so it is checked before use;
// a worker that has none, or one that fails a check, starts plainly and says why.
// Checked once, the server's is kept in the origin private file system for later visits.

import type { SnapshotSource } from "../shared/protocol";

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

/**
 * The server's snapshot: from this browser's origin private file system,
 * where a worker put it once it had checked it, else fetched and checked
 * (`fetched`: then keepSnapshot it). The HTTP cache keeps it too, but
 * compressed: a repeat visit would spend more time decompressing and hashing
 * it than restoring it; and a file reads in a third of the time Cache Storage
 * takes to give back the same 30 MB (12 against 36-45 ms in Chromium, 14
 * against 100 in Firefox).
 */
export async function serverSnapshot(source: SnapshotSource): Promise<{ bytes: Uint8Array<ArrayBuffer>; fetched: boolean }> {
  const kept = await readKept(source.sha256).catch(() => undefined);
  if (kept !== undefined) {
    try {
      checkBuild(kept, source.buildId);
      return { bytes: kept, fetched: false };
    } catch {
      // Gone bad: fetched again below.
    }
  }
  return { bytes: await fetchSnapshot(source), fetched: true };
}

/** Where workers keep the server's snapshot once checked: one file, named by its SHA-256, in this folder of the origin private file system. */
const FOLDER = "pyworker-snapshots";

/** The folder, where the browser gives this page one (secure contexts, not every private window). */
async function folder(): Promise<FileSystemDirectoryHandle | undefined> {
  const root = await navigator.storage?.getDirectory?.().catch(() => undefined);
  return root?.getDirectoryHandle(FOLDER).catch(() => undefined);
}

/** The file's sync access handle: what dedicated workers have (TypeScript's DOM library lacks it). */
interface SyncAccess {
  getSize(): number;
  read(into: Uint8Array, options: { at: number }): number;
  close(): void;
}
type SyncFileHandle = FileSystemFileHandle & { createSyncAccessHandle(options?: { mode: "read-only" }): Promise<SyncAccess> };

/** The kept snapshot with this SHA-256, if there is one. */
async function readKept(sha256: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const file = (await (await folder())?.getFileHandle(sha256).catch(() => undefined)) as SyncFileHandle | undefined;
  if (file === undefined) return undefined;
  // A sync read is fastest; shared among workers where the engine has read-only handles, else
  // one at a time, the others reading the file as a blob.
  const access = await file.createSyncAccessHandle({ mode: "read-only" }).catch(() => undefined);
  if (access === undefined) return new Uint8Array(await (await file.getFile()).arrayBuffer());
  try {
    const bytes = new Uint8Array(access.getSize());
    access.read(bytes, { at: 0 });
    return bytes;
  } finally {
    access.close();
  }
}

/**
 * Keeps a copy of the checked snapshot (the bytes may move on at once) in
 * place of any other: best effort. Until the writable stream closes, which
 * puts the whole copy in place, the file is empty: a worker that reads it
 * then finds no snapshot there and fetches the server's.
 */
export function keepSnapshot(sha256: string, bytes: Uint8Array): void {
  const copy = new Blob([bytes as Uint8Array<ArrayBuffer>]); // fetched: not shared memory
  void (async () => {
    try {
      const root = await navigator.storage.getDirectory();
      await root.removeEntry(FOLDER, { recursive: true }).catch(() => {}); // those of an older pyworker or Pyodide
      const file = await (await root.getDirectoryHandle(FOLDER, { create: true })).getFileHandle(sha256, { create: true });
      const writable = await file.createWritable();
      await writable.write(copy);
      await writable.close();
    } catch {
      // Full, not allowed, or read by another tab just now: the next visit fetches it again.
    }
  })();
}

/** Drops the kept copy of the snapshot with this SHA-256, if there is one. */
export async function forgetSnapshot(sha256: string): Promise<void> {
  await (await folder())?.removeEntry(sha256).catch(() => {});
}

/** Fetches the server's snapshot and checks it: its hash, then its build. */
export async function fetchSnapshot(source: SnapshotSource): Promise<Uint8Array<ArrayBuffer>> {
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
