// pyscript.storage's side in JavaScript: a named store in IndexedDB (one
// database per name, in the page's origin, so the page and its workers
// share it), its entries as keys and text (python/pyscript/storage.py
// encodes the values). Writes go at once; sync() waits for those made.

/** A store's entries and writes, for Python (`_pyworker_storage`, on the page and in workers). */
export interface Store {
  /** Every entry, as [key, text] pairs. */
  entries(): Promise<[string, string][]>;
  put(key: string, text: string): void;
  delete(key: string): void;
  clear(): void;
  /** Resolves once every write made so far is stored; rejects with the first that failed. */
  sync(): Promise<void>;
}

const ENTRIES = "entries";

export const storageModule = {
  /** Opens (and makes, the first time) the store of this name. */
  async open(name: string): Promise<Store> {
    const database = await new Promise<IDBDatabase>((resolve, reject) => {
      const opening = indexedDB.open(name, 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore(ENTRIES);
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(new Error(`the store ${JSON.stringify(name)} could not be opened: ${opening.error?.message}`));
    });
    let pending: Promise<void>[] = [];
    const write = (change: (entries: IDBObjectStore) => void) => {
      const transaction = database.transaction(ENTRIES, "readwrite");
      change(transaction.objectStore(ENTRIES));
      pending.push(
        new Promise((resolve, reject) => {
          transaction.oncomplete = () => resolve();
          transaction.onerror = transaction.onabort = () => reject(new Error(`a write to the store ${JSON.stringify(name)} failed: ${transaction.error?.message}`));
        }),
      );
    };
    return {
      entries: () =>
        new Promise((resolve, reject) => {
          const entries = database.transaction(ENTRIES).objectStore(ENTRIES);
          const keys = entries.getAllKeys();
          const values = entries.getAll();
          values.onsuccess = () => resolve((keys.result as string[]).map((key, i) => [key, values.result[i] as string]));
          values.onerror = () => reject(new Error(`the store ${JSON.stringify(name)} could not be read: ${values.error?.message}`));
        }),
      put: (key, text) => write((entries) => entries.put(text, key)),
      delete: (key) => write((entries) => entries.delete(key)),
      clear: () => write((entries) => entries.clear()),
      async sync() {
        const writes = pending;
        pending = [];
        await Promise.all(writes);
      },
    };
  },
};
