/**
 * Browser storage that may be missing: with cookies and site data blocked, merely reading
 * `window.localStorage` throws a SecurityError. Every use goes through here, so a blocked storage
 * means "nothing remembered" instead of a crashed app.
 */
export interface StorageItem {
  get(): string | null;
  set(value: string): void;
}

function storage(kind: 'local' | 'session'): Storage | null {
  try {
    return kind === 'local' ? globalThis.localStorage : globalThis.sessionStorage;
  } catch {
    return null;
  }
}

export function storageItem(kind: 'local' | 'session', key: string): StorageItem {
  return {
    get() {
      try {
        return storage(kind)?.getItem(key) ?? null;
      } catch {
        return null;
      }
    },
    set(value) {
      try {
        storage(kind)?.setItem(key, value);
      } catch {
        // Blocked or full: the value lasts for this page only.
      }
    },
  };
}
