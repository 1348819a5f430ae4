import { AppError } from './app-error';

/** Keyset cursors are opaque to clients: base64url JSON of the last row's sort keys. */
export function encodeCursor(position: Record<string, string | number | null>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

export function decodeCursor<K extends string>(cursor: string, keys: readonly K[]): Record<K, string> {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      if (keys.every((k) => typeof record[k] === 'string')) {
        return record as Record<K, string>;
      }
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('validation_failed', { errors: [{ path: 'cursor', message: 'invalid cursor' }] });
}
