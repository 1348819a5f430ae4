import type { Migration } from 'kysely';
import * as m0001 from './0001-platform';
import * as m0002 from './0002-customers';
import * as m0003ContactsFollowups from './0003-contacts-followups';
import * as m0004JobsImports from './0004-jobs-imports';
import * as m0005Search from './0005-search';
import * as m0006ListIndexes from './0006-list-indexes';

/** All migrations in order. New ones are appended with the next number; never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '0001-platform': m0001,
  '0002-customers': m0002,
  '0003-contacts-followups': m0003ContactsFollowups,
  '0004-jobs-imports': m0004JobsImports,
  '0005-search': m0005Search,
  '0006-list-indexes': m0006ListIndexes,
};
