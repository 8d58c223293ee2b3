// The checks a memory snapshot passes before a worker starts from it: its
// header (a Pyodide snapshot, of this build) and, for the server's, its
// SHA-256. Fetched here from data: URLs, as a worker fetches the server's.

import assert from "node:assert/strict";
import { test } from "node:test";
import { checkBuild, fetchSnapshot } from "../src/worker/snapshot";

const BUILD = "990c3b51a9722d62434de2bbc9643732658d488c1b6d467f22c1b6beba80d497";

/** A snapshot's bytes as Pyodide lays them out: magic, header size, JSON size, 0, the build id in eight words, then the rest. */
function snapshotOf(build: string, size = 256): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  const words = new Uint32Array(bytes.buffer, 0, 12);
  words.set([0x706e7300, 48, 0, 0]);
  for (let i = 0; i < 8; i++) words[4 + i] = parseInt(build.slice(i * 8, i * 8 + 8), 16);
  bytes.fill(7, 48);
  return bytes;
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
const dataURL = (bytes: Uint8Array) => `data:application/octet-stream;base64,${btoa(String.fromCharCode(...bytes))}`;

test("a snapshot of this build passes; another build's, or what is not a snapshot, is refused saying why", () => {
  checkBuild(snapshotOf(BUILD), BUILD);
  const other = "0".repeat(64);
  assert.throws(() => checkBuild(snapshotOf(other), BUILD), /it was made by another build of Pyodide \(000000000000…, this one is 990c3b51a972…\)/);
  assert.throws(() => checkBuild(new Uint8Array(256), BUILD), /it does not start as a Pyodide snapshot does/);
  assert.throws(() => checkBuild(new Uint8Array(16), BUILD), /it is too short to be one/);
});

test("the server's snapshot is used only if its SHA-256 is the one named, and of this build", async () => {
  const bytes = snapshotOf(BUILD);
  const url = dataURL(bytes);
  assert.deepEqual(await fetchSnapshot({ url, sha256: await sha256(bytes), buildId: BUILD }), bytes);
  await assert.rejects(fetchSnapshot({ url, sha256: "f".repeat(64), buildId: BUILD }), /is not the snapshot the server named \(its SHA-256 is [0-9a-f]{12}…, not ffffffffffff…\)/);
  const other = snapshotOf("1".repeat(64));
  await assert.rejects(fetchSnapshot({ url: dataURL(other), sha256: await sha256(other), buildId: BUILD }), /another build of Pyodide/);
});
