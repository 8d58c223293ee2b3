// The config's js_modules.main: JavaScript modules the page imports, each
// once, and keeps by the name the config gives. The page's Python imports
// them from pyscript.js_modules; a worker's Python reaches the same record as
// a page object (the root jsModules, see pageobjects.ts), as PyScript's
// workers reach the main thread's modules.

/** The modules imported so far, by name (one record for the page's interpreters and every worker). */
export const mainModules: Record<string, unknown> = {};

/** Imports `modules` (URL → name) into mainModules; rejects naming the module that failed. */
export async function importMainModules(modules: Record<string, string>): Promise<void> {
  const imported = await Promise.all(Object.entries(modules).map(async ([url, name]) => [name, await importModule(url)] as const));
  Object.assign(mainModules, Object.fromEntries(imported));
}

async function importModule(url: string): Promise<unknown> {
  try {
    return await import(url);
  } catch (error) {
    throw new Error(`the JavaScript module ${url} (js_modules.main) could not be imported: ${(error as Error)?.message ?? error}`);
  }
}
