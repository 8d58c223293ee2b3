// Pyodide memory snapshots: the interpreter's heap just after it started and
// imported pyworker's Python module, which a new worker copies in rather than
// starting Python again (see pyodide.ts). A snapshot fits one build of
// Pyodide and one version of the Python module, so it is checked before use;
// a worker that has none, or one that fails a check, starts plainly and says why.
// Checked once, the server's is kept in Cache Storage for later visits.

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

/** Where workers keep the server's snapshot once checked (Cache Storage), by its URL, which its hash is part of. */
const CACHE = "pyworker-snapshots";

/**
 * The server's snapshot: from this browser's Cache Storage, where a worker
 * put it once it had checked it, else fetched and checked (`fetched`: then
 * keepSnapshot it). The HTTP cache keeps it too, but compressed: a repeat
 * visit would spend more time decompressing and hashing it than restoring it.
 */
export async function serverSnapshot(source: SnapshotSource): Promise<{ bytes: Uint8Array<ArrayBuffer>; fetched: boolean }> {
  const kept = await (await openCache())?.match(source.url).catch(() => undefined);
  if (kept !== undefined) {
    const bytes = new Uint8Array(await kept.arrayBuffer());
    try {
      checkBuild(bytes, source.buildId);
      return { bytes, fetched: false };
    } catch {
      // Gone bad in the cache: fetched again below.
    }
  }
  return { bytes: await fetchSnapshot(source), fetched: true };
}

/** Keeps a copy of the checked snapshot at url in Cache Storage (the bytes may move on at once), and drops the others. */
export function keepSnapshot(url: string, bytes: Uint8Array): void {
  const copy = new Response(bytes as Uint8Array<ArrayBuffer>); // fetched: not shared memory
  void openCache().then((cache) => cache && keep(cache, url, copy));
}

/** Drops the kept copy of the snapshot at url, if there is one. */
export async function forgetSnapshot(url: string): Promise<void> {
  await (await openCache())?.delete(url).catch(() => false);
}

/** The snapshot cache, where the browser has one (secure contexts do). */
async function openCache(): Promise<Cache | undefined> {
  return typeof caches === "undefined" ? undefined : caches.open(CACHE).catch(() => undefined);
}

/** Keeps the snapshot at url, and drops the others (of an older pyworker or Pyodide); best effort. */
async function keep(cache: Cache, url: string, snapshot: Response): Promise<void> {
  try {
    await cache.put(url, snapshot);
    for (const request of await cache.keys()) if (request.url !== url) await cache.delete(request);
  } catch {
    // Full, or not allowed: the next visit fetches it again.
  }
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
