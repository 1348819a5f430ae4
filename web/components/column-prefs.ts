/** The columns a user chose for a list (`customers`, `leads`, …), kept in this browser. */
const storageKey = (list: string, userId: string) => `haoke.${list}.columns.${userId}`;

export function loadColumnPrefs(list: string, userId: string): string[] | null {
  try {
    const raw = window.localStorage.getItem(storageKey(list, userId));
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    return Array.isArray(parsed) && parsed.every((item) => typeof item === "string") ? parsed : null;
  } catch {
    return null;
  }
}

export function saveColumnPrefs(list: string, userId: string, columns: readonly string[]): void {
  try {
    window.localStorage.setItem(storageKey(list, userId), JSON.stringify(columns));
  } catch {
    // Private mode or a full storage: the choice simply is not remembered.
  }
}
