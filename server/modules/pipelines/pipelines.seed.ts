import type { Kysely } from 'kysely';
import type { Database } from '../../db/types';
import { newId } from '../../db/ids';

/** The stages of the pipeline every workspace starts with, in its language. */
const defaultStages = [
  { zh: '初步接洽', en: 'Initial contact', winProbability: 10 },
  { zh: '需求确认', en: 'Needs confirmed', winProbability: 30 },
  { zh: '方案报价', en: 'Proposal / quote', winProbability: 50 },
  { zh: '谈判审核', en: 'Negotiation', winProbability: 70 },
  { zh: '签约中', en: 'Closing', winProbability: 90 },
] as const;

const defaultName = { zh: '销售流程', en: 'Sales pipeline' } as const;

/**
 * The workspace's default pipeline, created on first use (a workspace that never opens deals
 * never gets one). Concurrent first uses race on the unique (workspace_id, seed_key) index: the
 * loser's insert does nothing and it reads the winner's pipeline.
 */
export async function ensureDefaultPipeline(db: Kysely<Database>, workspaceId: string, now: string): Promise<string> {
  const existing = await findDefaultPipelineId(db, workspaceId);
  if (existing) {
    return existing;
  }
  const workspace = await db.selectFrom('workspaces').select('locale').where('id', '=', workspaceId).executeTakeFirst();
  const lang = workspace?.locale?.startsWith('zh') ? 'zh' : 'en';
  const id = newId();
  // The pipeline and its stages commit together: a writer that sees the pipeline sees its stages
  // (two first deals at once: the second waits on the seed key, then finds both).
  const seed = async (trx: Kysely<Database>): Promise<boolean> => {
    const inserted = await trx
      .insertInto('pipelines')
      .values({ id, workspaceId, name: defaultName[lang], isDefault: 1, active: 1, sort: 0, seedKey: 'default', createdAt: now, updatedAt: now, deletedAt: null })
      .onConflict((oc) => oc.columns(['workspaceId', 'seedKey']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) {
      return false;
    }
    await trx
      .insertInto('pipelineStages')
      .values(defaultStages.map((s, i) => ({ id: newId(), workspaceId, pipelineId: id, name: s[lang], winProbability: s.winProbability, sort: i, createdAt: now, updatedAt: now, deletedAt: null })))
      .execute();
    return true;
  };
  if (await (db.isTransaction ? seed(db) : db.transaction().execute(seed))) {
    return id;
  }
  return (await findDefaultPipelineId(db, workspaceId)) ?? id;
}

async function findDefaultPipelineId(db: Kysely<Database>, workspaceId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('pipelines')
    .select('id')
    .where('workspaceId', '=', workspaceId)
    .where('deletedAt', 'is', null)
    .orderBy('isDefault', 'desc')
    .orderBy('sort')
    .orderBy('createdAt')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}
