import type { Kysely } from 'kysely';
import type { Config } from './config';
import type { DialectName } from './db/dialect';
import type { Database } from './db/types';

/**
 * What services need from the outside world, passed explicitly (no container). `now` is a
 * function so tests can run time-dependent rules on a controllable clock.
 */
export interface Deps {
  db: Kysely<Database>;
  dialect: DialectName;
  config: Config;
  now: () => Date;
}

export function nowIso(deps: Pick<Deps, 'now'>): string {
  return deps.now().toISOString();
}
