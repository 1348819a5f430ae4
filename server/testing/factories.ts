import type { FastifyInstance } from 'fastify';
import { createWorkspace } from '../modules/setup/setup.service';
import type { TestApp } from './test-app';
import { type Client, type Json, signIn, testPassword, uniqueEmail } from './test-app';

export interface TestWorkspace {
  workspaceId: string;
  adminId: string;
  adminEmail: string;
  admin: Client;
  /** role key → role id for the seeded roles */
  roles: Record<string, string>;
}

/** A new workspace with its admin signed in — each test gets its own, so nothing leaks between tests. */
export async function createWorkspaceWithAdmin(t: TestApp, name = 'Test Co'): Promise<TestWorkspace> {
  const adminEmail = uniqueEmail('admin');
  const { workspaceId, userId } = await createWorkspace(
    t.deps,
    { workspaceName: name, name: 'Admin', email: adminEmail, password: testPassword, locale: 'en' },
    { allowMore: true },
  );
  const admin = await signIn(t.app, adminEmail, testPassword);
  const rolesRes = await admin.get<{ data: { id: string; key: string | null }[] }>('/api/v1/roles');
  const roles: Record<string, string> = {};
  for (const r of rolesRes.body.data) {
    if (r.key) {
      roles[r.key] = r.id;
    }
  }
  return { workspaceId, adminId: userId, adminEmail, admin, roles };
}

export interface CreatedUser {
  id: string;
  email: string;
  client: () => Promise<Client>;
}

/** Creates a user through the API as the given admin client; `client()` signs that user in. */
export async function createUser(
  app: FastifyInstance,
  admin: Client,
  input: { name?: string; roleIds?: string[]; departmentId?: string | null; managerId?: string | null; phone?: string | null; email?: string } = {},
): Promise<CreatedUser> {
  const email = input.email ?? uniqueEmail();
  const res = await admin.post<Json>('/api/v1/users', {
    name: input.name ?? 'Someone',
    email,
    password: testPassword,
    roleIds: input.roleIds ?? [],
    ...(input.departmentId !== undefined ? { departmentId: input.departmentId } : {}),
    ...(input.managerId !== undefined ? { managerId: input.managerId } : {}),
    ...(input.phone !== undefined ? { phone: input.phone } : {}),
  });
  if (res.status !== 201) {
    throw new Error(`create user failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const id = String(res.body.id);
  return { id, email, client: () => signIn(app, email, testPassword) };
}

export async function createDepartment(admin: Client, name: string, parentId?: string | null, leaderId?: string | null): Promise<string> {
  const res = await admin.post<Json>('/api/v1/departments', {
    name,
    ...(parentId ? { parentId } : {}),
    ...(leaderId ? { leaderId } : {}),
  });
  if (res.status !== 201) {
    throw new Error(`create department failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return String(res.body.id);
}

export interface GrantInput {
  entity: string;
  action: string;
  scope?: string;
}

export interface FieldRuleInput {
  entity: string;
  field: string;
  access: 'hidden' | 'read' | 'edit';
  masked?: boolean;
}

/** Creates a custom role through the API; grants default to scope 'all'. */
export async function createRole(
  admin: Client,
  permissions: readonly GrantInput[],
  fieldRules: readonly FieldRuleInput[] = [],
  name = `Role ${uniqueEmail('r').split('@')[0] ?? ''}`,
): Promise<string> {
  const res = await admin.post<Json>('/api/v1/roles', {
    name,
    permissions: permissions.map((p) => ({ scope: 'all', ...p })),
    fieldRules,
  });
  if (res.status !== 201) {
    throw new Error(`create role failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return String(res.body.id);
}

/** A signed-in user whose only role holds exactly these grants (and field rules). */
export async function createUserWithGrants(
  app: FastifyInstance,
  admin: Client,
  permissions: readonly GrantInput[],
  fieldRules: readonly FieldRuleInput[] = [],
  input: Parameters<typeof createUser>[2] = {},
): Promise<CreatedUser & { roleId: string; session: Client }> {
  const roleId = await createRole(admin, permissions, fieldRules);
  const user = await createUser(app, admin, { ...input, roleIds: [roleId] });
  return { ...user, roleId, session: await user.client() };
}
