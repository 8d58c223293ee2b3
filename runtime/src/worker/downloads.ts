// The worker's downloads of the user's code and files (the archive, src),
// started while the interpreter loads, a failed one ending the start at
// once. The page's are in fetched.ts.

/** The bytes at `url`; a failure is the worker's, reported when they are needed. */
export function download(url: string): Promise<Uint8Array> {
  const bytes = fetch(url).then(async (response) => {
    if (!response.ok) throw new Error(`fetching ${url}: ${response.status} ${response.statusText}`);
    return new Uint8Array(await response.arrayBuffer());
  });
  bytes.catch(() => {}); // awaited later: not an unhandled rejection meanwhile
  return bytes;
}

/** Rejects as soon as one of these downloads fails; never resolves. */
export function failureOf(downloads: (Promise<Uint8Array> | undefined)[]): Promise<never> {
  const never = new Promise<never>(() => {});
  const failure = Promise.race(downloads.flatMap((bytes) => (bytes === undefined ? [] : [bytes.then(() => never)])));
  failure.catch(() => {}); // raced only while the interpreter loads
  return failure;
}
