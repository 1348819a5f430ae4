import { AppError } from './app-error';
import { findUnstorableText } from './input';
import { idSchema, isoTimestamp } from './schemas';

/** Keyset cursors are opaque to clients: base64url JSON of the last row's sort keys. */
export function encodeCursor(position: Record<string, string | number | null>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/**
 * A client can forge a cursor, and its values go into SQL comparisons: a value the column cannot
 * hold (text for a timestamptz) would be a database error. Keys follow the column names, so
 * `id`/`…Id` must be ids, `…At` timestamps, and any value storable text.
 */
function plausible(key: string, value: string): boolean {
  if (findUnstorableText(value, key) !== null) {
    return false;
  }
  if (key === 'id' || key.endsWith('Id')) {
    return idSchema.safeParse(value).success;
  }
  if (key.endsWith('At')) {
    return isoTimestamp.safeParse(value).success;
  }
  return true;
}

export function decodeCursor<K extends string>(cursor: string, keys: readonly K[]): Record<K, string> {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      if (keys.every((k) => typeof record[k] === 'string' && plausible(k, record[k]))) {
        return Object.fromEntries(keys.map((k) => [k, record[k]])) as Record<K, string>;
      }
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('validation_failed', { errors: [{ path: 'cursor', message: 'invalid cursor' }] });
}
