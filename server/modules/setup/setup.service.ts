import type { Locale } from '../../../common/locale';
import { lockTableForWrites } from '../../db/dialect';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import { recordAudit } from '../audit-log/audit-log.service';
import { assertPasswordPolicy, hashPassword } from '../auth/passwords';
import { seedPicklists } from '../picklists/picklists.service';
import { seedRoles } from './seed-roles';

export async function needsSetup(deps: Deps): Promise<boolean> {
  const row = await deps.db.selectFrom('workspaces').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

export interface SetupInput {
  workspaceName: string;
  name: string;
  email: string;
  password: string;
  locale?: Locale | null | undefined;
}

/**
 * Creates a workspace with its seeded roles and its first admin. `allowMore` is for the CLI and
 * tests (several workspaces in one database); the HTTP first-run page answers 409 after the first.
 */
export async function createWorkspace(
  deps: Deps,
  input: SetupInput,
  options: { allowMore?: boolean; ip?: string | null; userAgent?: string | null } = {},
): Promise<{ workspaceId: string; userId: string }> {
  assertPasswordPolicy(input.password, input.email);
  const passwordHash = await hashPassword(input.password, { memoryKib: deps.config.argon2MemoryKib });
  const workspaceId = newId();
  const userId = newId();
  const now = nowIso(deps);
  const locale: Locale = input.locale ?? 'zh-CN';
  await deps.db.transaction().execute(async (trx) => {
    if (!options.allowMore) {
      // Without the lock, concurrent first-run requests on PostgreSQL each saw an empty table.
      await lockTableForWrites(trx, deps.dialect, 'workspaces');
      const existing = await trx.selectFrom('workspaces').select('id').limit(1).executeTakeFirst();
      if (existing) {
        throw new AppError('setup_done');
      }
    }
    await trx
      .insertInto('workspaces')
      .values({ id: workspaceId, name: input.workspaceName, currency: 'CNY', locale, timezone: 'Asia/Shanghai', createdAt: now, updatedAt: now })
      .execute();
    const roles = await seedRoles(trx, workspaceId, locale, now);
    await trx
      .insertInto('users')
      .values({
        id: userId,
        workspaceId,
        email: input.email,
        name: input.name,
        phone: null,
        passwordHash,
        departmentId: null,
        managerId: null,
        status: 'active',
        locale: input.locale ?? null,
        lockedUntil: null,
        lastLoginAt: null,
        passwordChangedAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    await trx.insertInto('userRoles').values({ workspaceId, userId, roleId: roles.admin }).execute();
    await seedPicklists(trx, workspaceId, locale, now);
  });
  await recordAudit(
    deps,
    { workspaceId, userId, apiKeyId: null, ip: options.ip ?? null, userAgent: options.userAgent ?? null },
    { action: 'setup.completed', targetType: 'workspace', targetId: workspaceId, detail: { workspaceName: input.workspaceName } },
  );
  return { workspaceId, userId };
}
