// Downloads of the user's code and files: the worker's (the archive, src),
// started while the interpreter loads, a failed one ending the start at
// once; and the page's (a script's src, a config and its files).

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

/** The response for url, OK; else an error saying `what` could not be fetched, and why. */
export async function fetched(url: string | URL, what: string): Promise<Response> {
  const response = await fetch(url).catch((error: Error) => {
    throw new Error(`${what} could not be fetched: ${error.message}`);
  });
  if (!response.ok) throw new Error(`${what} could not be fetched: ${response.status} ${response.statusText}`);
  return response;
}
