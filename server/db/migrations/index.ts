import type { Migration } from 'kysely';
import * as m0001 from './0001-platform';
import * as m0002 from './0002-customers';

/** All migrations in order. New ones are appended with the next number; never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '0001-platform': m0001,
  '0002-customers': m0002,
};
