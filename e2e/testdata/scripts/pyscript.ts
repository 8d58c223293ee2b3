// The page side of pyscript_test.go: what a PyScript example's page shows.

/** Whether the page is cross-origin isolated ("true", "false") and how many error boxes it shows. */
export async function isolation(): Promise<{ isolated: string; errors: number }> {
  return { isolated: String(crossOriginIsolated), errors: document.querySelectorAll(".pyworker-error").length };
}

/** The text of each error box on the page. */
export async function errorBoxes(): Promise<string[]> {
  return [...document.querySelectorAll(".pyworker-error")].map((box) => box.textContent ?? "");
}
