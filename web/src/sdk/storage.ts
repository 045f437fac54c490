// Web Storage for sandboxed widget frames. A frame sandboxed without
// `allow-same-origin` has an opaque origin, and WebKit throws
// "SecurityError: The operation is insecure" on any use of `sessionStorage`
// or `localStorage`. `getAgent()` from `@finos/fdc3` 2.2 reads
// `sessionStorage` before anything else, so apps built on it could not
// start (issue 13). Where the browser refuses, the frame gets a Storage of
// its own, in memory, for the frame's life: nothing is shared with the shell
// or other frames, and the sandbox stays as it is.

/** A `Storage` held in memory. */
export function memoryStorage(): Storage {
  const items = new Map<string, string>();
  const storage = {
    get length(): number {
      return items.size;
    },
    clear(): void {
      items.clear();
    },
    getItem(key: string): string | null {
      return items.get(String(key)) ?? null;
    },
    key(index: number): string | null {
      return [...items.keys()][index] ?? null;
    },
    removeItem(key: string): void {
      items.delete(String(key));
    },
    setItem(key: string, value: string): void {
      items.set(String(key), String(value));
    },
  };
  return storage as Storage;
}

/** Replaces each of `sessionStorage` and `localStorage` that `win` refuses
 *  to give with a memory Storage; returns the names replaced. */
export function installStorageFallback(win: Window): string[] {
  const replaced: string[] = [];
  for (const name of ['sessionStorage', 'localStorage'] as const) {
    let usable = false;
    try {
      const s = win[name];
      s.getItem('tessera-probe');
      usable = true;
    } catch {
      usable = false;
    }
    if (!usable) {
      Object.defineProperty(win, name, { value: memoryStorage(), configurable: true, enumerable: true });
      replaced.push(name);
    }
  }
  return replaced;
}
