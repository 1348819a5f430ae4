import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { workspaceTimezone } from '../follow-ups/follow-ups.repo';
import { checkPattern, dateParts, defaultContractRule, formatNumber, type NumberRule, periodOf } from './contracts.numbering-format';

const ruleKey = 'contract';

export async function contractRule(db: Kysely<Database>, workspaceId: string): Promise<NumberRule> {
  const row = await db.selectFrom('numberRules').select(['pattern', 'reset']).where('workspaceId', '=', workspaceId).where('key', '=', ruleKey).executeTakeFirst();
  return row ?? defaultContractRule;
}

/**
 * Takes the next value of a counter: one upsert that inserts 1 or adds 1 and returns the result.
 * Atomic on both databases (PostgreSQL locks the counter row until the caller's transaction
 * ends, SQLite has one writer), so concurrent creations never share a number.
 */
async function nextValue(trx: Kysely<Database>, workspaceId: string, key: string, period: string): Promise<number> {
  const row = await trx
    .insertInto('numberSequences')
    .values({ workspaceId, key, period, value: 1 })
    .onConflict((oc) => oc.columns(['workspaceId', 'key', 'period']).doUpdateSet({ value: sql<number>`number_sequences.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

/**
 * The next contract number under the workspace's rule, inside the caller's transaction. A number
 * someone typed by hand may already hold a generated value: such values are passed over.
 */
export async function nextContractNumber(deps: Deps, trx: Kysely<Database>, workspaceId: string): Promise<string> {
  const [rule, timeZone] = await Promise.all([contractRule(trx, workspaceId), workspaceTimezone(trx, workspaceId)]);
  const parts = dateParts(deps.now(), timeZone);
  const period = periodOf(rule.reset, parts);
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const number = formatNumber(rule.pattern, parts, await nextValue(trx, workspaceId, ruleKey, period));
    const taken = await trx.selectFrom('contracts').select('id').where('workspaceId', '=', workspaceId).where('number', '=', number).executeTakeFirst();
    if (!taken) {
      return number;
    }
  }
  throw new AppError('number_taken', { detail: 'No free contract number: change the numbering rule' });
}

async function preview(deps: Deps, workspaceId: string, rule: NumberRule): Promise<string> {
  const parts = dateParts(deps.now(), await workspaceTimezone(deps.db, workspaceId));
  const row = await deps.db
    .selectFrom('numberSequences')
    .select('value')
    .where('workspaceId', '=', workspaceId)
    .where('key', '=', ruleKey)
    .where('period', '=', periodOf(rule.reset, parts))
    .executeTakeFirst();
  return formatNumber(rule.pattern, parts, Number(row?.value ?? 0) + 1);
}

export async function getNumberingRule(deps: Deps, auth: AuthContext) {
  const rule = await contractRule(deps.db, auth.workspaceId);
  return { ...rule, preview: await preview(deps, auth.workspaceId, rule) };
}

/** Changes the rule. Counters are per period, so a new rule continues the current period's count. */
export async function setNumberingRule(deps: Deps, auth: AuthContext, actor: AuditActor, rule: NumberRule) {
  const problems = checkPattern(rule.pattern);
  if (problems.length > 0) {
    throw new AppError('validation_failed', { errors: problems.map((message) => ({ path: 'pattern', message })) });
  }
  const now = nowIso(deps);
  await deps.db
    .insertInto('numberRules')
    .values({ workspaceId: auth.workspaceId, key: ruleKey, pattern: rule.pattern, reset: rule.reset, updatedAt: now })
    .onConflict((oc) => oc.columns(['workspaceId', 'key']).doUpdateSet({ pattern: rule.pattern, reset: rule.reset, updatedAt: now }))
    .execute();
  await recordAudit(deps, actor, { action: 'contract.numbering_changed', targetType: 'numberRule', detail: { ...rule } });
  return getNumberingRule(deps, auth);
}
