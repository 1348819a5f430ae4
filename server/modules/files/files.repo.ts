import { type Expression, type Insertable, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database, FilesTable } from '../../db/types';
import { type FollowUpContext, followUpVisibleCondition } from '../follow-ups/follow-ups.policy';

export async function insertFile(db: Kysely<Database>, row: Insertable<FilesTable>): Promise<void> {
  await db.insertInto('files').values(row).execute();
}

/**
 * A file the caller may download: one they uploaded, or one attached to a follow-up they may
 * see. Anything else is, to them, not there.
 */
export async function findDownloadableFile(db: Kysely<Database>, ctx: FollowUpContext, id: string) {
  const { workspaceId, userId } = ctx.auth;
  return db
    .selectFrom('files as fl')
    .select(['fl.id', 'fl.name', 'fl.mime', 'fl.size', 'fl.storageKey'])
    .where('fl.workspaceId', '=', workspaceId)
    .where('fl.id', '=', id)
    .where((eb) =>
      eb.or([
        eb('fl.createdBy', '=', userId ?? ''),
        eb.exists(
          eb
            .selectFrom('followUpFiles as ff')
            .innerJoin('followUps as f', 'f.id', 'ff.followUpId')
            .leftJoin('customers as c', 'c.id', 'f.customerId')
            .select('ff.fileId')
            .where('ff.workspaceId', '=', workspaceId)
            .whereRef('ff.fileId', '=', 'fl.id')
            .where(followUpVisibleCondition(ctx)),
        ),
      ]),
    )
    .executeTakeFirst();
}

/** Whether something still carries the file in `column` (a follow-up or a contract): a file nothing carries may go. */
export function fileCarried(column: 'fl.id' | 'files.id'): Expression<SqlBool> {
  const file = sql.ref(column);
  return sql<SqlBool>`(exists (select 1 from follow_up_files ff where ff.file_id = ${file}) or exists (select 1 from contract_files cf where cf.file_id = ${file}))`;
}
