// The page's downloads of the user's code and files (a script's src, a
// config and its files). The worker's are in downloads.ts.

/** The response for url, OK; else an error saying `what` could not be fetched, and why. */
export async function fetched(url: string | URL, what: string): Promise<Response> {
  const response = await fetch(url).catch((error: Error) => {
    throw new Error(`${what} could not be fetched: ${error.message}`);
  });
  if (!response.ok) throw new Error(`${what} could not be fetched: ${response.status} ${response.statusText}`);
  return response;
}
