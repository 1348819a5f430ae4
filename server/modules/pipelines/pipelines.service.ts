import { sql } from 'kysely';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import type { Pipeline } from './pipelines.schema';
import { ensureDefaultPipeline } from './pipelines.seed';

type StageInput = { id?: string | undefined; name: string; winProbability: number };

/** Every pipeline with its ordered stages; the default one is seeded on first use. */
export async function listPipelines(deps: Deps, workspaceId: string): Promise<Pipeline[]> {
  await ensureDefaultPipeline(deps.db, workspaceId, nowIso(deps));
  const [pipelines, stages] = await Promise.all([
    deps.db
      .selectFrom('pipelines')
      .select(['id', 'name', 'isDefault', 'active', 'sort', 'createdAt', 'updatedAt', 'version'])
      .where('workspaceId', '=', workspaceId)
      .where('deletedAt', 'is', null)
      .orderBy('sort')
      .orderBy('createdAt')
      .execute(),
    deps.db
      .selectFrom('pipelineStages')
      .select(['id', 'pipelineId', 'name', 'winProbability', 'sort'])
      .where('workspaceId', '=', workspaceId)
      .where('deletedAt', 'is', null)
      .orderBy('sort')
      .orderBy('createdAt')
      .execute(),
  ]);
  return pipelines.map((p) => ({
    id: p.id,
    name: p.name,
    isDefault: p.isDefault === 1,
    active: p.active === 1,
    sort: p.sort,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    version: p.version,
    stages: stages.filter((s) => s.pipelineId === p.id).map(({ id, name, winProbability, sort }) => ({ id, name, winProbability: Number(winProbability), sort })),
  }));
}

export async function getPipeline(deps: Deps, workspaceId: string, id: string): Promise<Pipeline> {
  const found = (await listPipelines(deps, workspaceId)).find((p) => p.id === id);
  if (!found) {
    throw new AppError('not_found');
  }
  return found;
}

export async function createPipeline(deps: Deps, actor: AuditActor, body: { name: string; isDefault?: boolean | undefined; stages: StageInput[] }): Promise<Pipeline> {
  if (body.stages.some((s) => s.id)) {
    throw new AppError('validation_failed', { errors: [{ path: 'stages', message: 'new pipelines take new stages (no ids)' }] });
  }
  const workspaceId = actor.workspaceId;
  await ensureDefaultPipeline(deps.db, workspaceId, nowIso(deps));
  const id = newId();
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    const max = await trx.selectFrom('pipelines').select((eb) => eb.fn.max('sort').as('m')).where('workspaceId', '=', workspaceId).executeTakeFirst();
    if (body.isDefault) {
      await trx.updateTable('pipelines').set({ isDefault: 0 }).where('workspaceId', '=', workspaceId).execute();
    }
    await trx
      .insertInto('pipelines')
      .values({ id, workspaceId, name: body.name, isDefault: body.isDefault ? 1 : 0, active: 1, sort: Number(max?.m ?? 0) + 1, seedKey: null, createdAt: now, updatedAt: now, deletedAt: null })
      .execute();
    await trx
      .insertInto('pipelineStages')
      .values(body.stages.map((s, i) => ({ id: newId(), workspaceId, pipelineId: id, name: s.name, winProbability: s.winProbability, sort: i, createdAt: now, updatedAt: now, deletedAt: null })))
      .execute();
  });
  await recordAudit(deps, actor, { action: 'pipeline.created', targetType: 'pipeline', targetId: id, detail: { name: body.name } });
  return getPipeline(deps, workspaceId, id);
}

export async function updatePipeline(
  deps: Deps,
  actor: AuditActor,
  id: string,
  body: { name?: string | undefined; isDefault?: true | undefined; active?: boolean | undefined; sort?: number | undefined },
  expectedVersion?: number,
): Promise<Pipeline> {
  const workspaceId = actor.workspaceId;
  const before = await getPipeline(deps, workspaceId, id);
  if (body.active === false && before.isDefault) {
    throw new AppError('business_rule', { detail: 'The default pipeline cannot be deactivated' });
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    if (body.isDefault) {
      await trx.updateTable('pipelines').set({ isDefault: 0 }).where('workspaceId', '=', workspaceId).execute();
    }
    let q = trx
      .updateTable('pipelines')
      .set({
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.isDefault ? { isDefault: 1, active: 1 } : {}),
        ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}),
        ...(body.sort !== undefined ? { sort: body.sort } : {}),
        updatedAt: now,
        version: sql`version + 1`,
      })
      .where('workspaceId', '=', workspaceId)
      .where('id', '=', id);
    if (expectedVersion !== undefined) {
      q = q.where('version', '=', expectedVersion);
    }
    if (Number((await q.executeTakeFirst()).numUpdatedRows) === 0) {
      throw new AppError('version_mismatch');
    }
  });
  await recordAudit(deps, actor, { action: 'pipeline.updated', targetType: 'pipeline', targetId: id, detail: { ...body } });
  return getPipeline(deps, workspaceId, id);
}

async function dealsIn(deps: Deps, workspaceId: string, column: 'pipelineId' | 'stageId', ids: readonly string[]): Promise<number> {
  if (ids.length === 0) {
    return 0;
  }
  const row = await deps.db
    .selectFrom('deals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspaceId', '=', workspaceId)
    .where(column, 'in', [...ids])
    .where('deletedAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Deletes a pipeline without deals (move or delete them first); never the default one. */
export async function deletePipeline(deps: Deps, actor: AuditActor, id: string): Promise<void> {
  const workspaceId = actor.workspaceId;
  const pipeline = await getPipeline(deps, workspaceId, id);
  if (pipeline.isDefault) {
    throw new AppError('business_rule', { detail: 'The default pipeline cannot be deleted; make another one the default first' });
  }
  const n = await dealsIn(deps, workspaceId, 'pipelineId', [id]);
  if (n > 0) {
    throw new AppError('conflict', { detail: `${n} deals are still in this pipeline` });
  }
  const now = nowIso(deps);
  await deps.db.updateTable('pipelines').set({ deletedAt: now, updatedAt: now }).where('workspaceId', '=', workspaceId).where('id', '=', id).execute();
  await recordAudit(deps, actor, { action: 'pipeline.deleted', targetType: 'pipeline', targetId: id });
}

/**
 * Sets the ordered stages of a pipeline: listed stages are renamed/reordered (ids) or added
 * (no id); unlisted ones are removed, which is refused while deals are in them.
 */
export async function replaceStages(deps: Deps, actor: AuditActor, id: string, stages: StageInput[]): Promise<Pipeline> {
  const workspaceId = actor.workspaceId;
  const pipeline = await getPipeline(deps, workspaceId, id);
  const existing = new Set(pipeline.stages.map((s) => s.id));
  const unknown = stages.findIndex((s) => s.id !== undefined && !existing.has(s.id));
  if (unknown >= 0) {
    throw new AppError('validation_failed', { errors: [{ path: `stages.${unknown}.id`, message: 'not a stage of this pipeline' }] });
  }
  const kept = new Set(stages.map((s) => s.id).filter((s): s is string => s !== undefined));
  const removed = pipeline.stages.filter((s) => !kept.has(s.id)).map((s) => s.id);
  const n = await dealsIn(deps, workspaceId, 'stageId', removed);
  if (n > 0) {
    throw new AppError('conflict', { detail: `${n} deals are still in the stages being removed` });
  }
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    if (removed.length > 0) {
      await trx.updateTable('pipelineStages').set({ deletedAt: now, updatedAt: now }).where('workspaceId', '=', workspaceId).where('id', 'in', removed).execute();
    }
    for (const [i, s] of stages.entries()) {
      if (s.id) {
        await trx.updateTable('pipelineStages').set({ name: s.name, winProbability: s.winProbability, sort: i, updatedAt: now }).where('workspaceId', '=', workspaceId).where('id', '=', s.id).execute();
      } else {
        await trx
          .insertInto('pipelineStages')
          .values({ id: newId(), workspaceId, pipelineId: id, name: s.name, winProbability: s.winProbability, sort: i, createdAt: now, updatedAt: now, deletedAt: null })
          .execute();
      }
    }
    await trx.updateTable('pipelines').set({ updatedAt: now, version: sql`version + 1` }).where('workspaceId', '=', workspaceId).where('id', '=', id).execute();
  });
  await recordAudit(deps, actor, { action: 'pipeline.stages_changed', targetType: 'pipeline', targetId: id, detail: { stages: stages.map((s) => s.name), removed } });
  return getPipeline(deps, workspaceId, id);
}

