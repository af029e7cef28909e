/**
 * The API key of this tab: in sessionStorage only (gone when the tab closes, never in a URL,
 * a cookie or localStorage), sent as `Authorization: Bearer` by api.ts.
 */
const STORAGE_KEY = 'wf-console.api-key';

export function storedKey(): string | undefined {
  return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
}

export function storeKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
