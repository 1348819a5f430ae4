import type { Migration } from 'kysely';
import * as m0001 from './0001-platform';

/** All migrations in order. New ones are appended with the next number; never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '0001-platform': m0001,
};
