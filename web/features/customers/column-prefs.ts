/** The columns a user chose for the customer list, kept in this browser. */
const storageKey = (userId: string) => `haoke.customers.columns.${userId}`;

export function loadColumnPrefs(userId: string): string[] | null {
  try {
    const raw = window.localStorage.getItem(storageKey(userId));
    if (!raw) {
      return null;
    }
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === "string") ? parsed : null;
  } catch {
    return null;
  }
}

export function saveColumnPrefs(userId: string, columns: readonly string[]): void {
  try {
    window.localStorage.setItem(storageKey(userId), JSON.stringify(columns));
  } catch {
    // Private mode or a full storage: the choice simply is not remembered.
  }
}
