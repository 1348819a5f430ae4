/**
 * Shapes of the platform API (docs/platform-api.md). Kept on the web side until the
 * shared zod schemas in common/ can be imported by the client.
 */
export type Scope = "own" | "subordinates" | "department" | "departmentTree" | "all";
export type FieldAccess = "hidden" | "read" | "edit";
export type UserStatus = "active" | "inactive";

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface ListResponse<T> {
  data: T[];
}

export interface User {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  departmentId: string | null;
  departmentName: string | null;
  managerId: string | null;
  managerName: string | null;
  roleIds: string[];
  roleNames: string[];
  status: UserStatus;
  locale: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Workspace {
  id: string;
  name: string;
  currency: string;
  locale: string | null;
}

export interface FieldRuleValue {
  access: FieldAccess;
  masked: boolean;
}

export interface Permissions {
  actions: Record<string, Scope | undefined>;
  fields: Record<string, Record<string, FieldRuleValue | undefined> | undefined>;
}

export interface Me {
  user: User;
  workspace: Workspace;
  permissions: Permissions;
  csrfToken: string;
}

export interface Department {
  id: string;
  name: string;
  parentId: string | null;
  leaderId: string | null;
  leaderName: string | null;
  sort: number;
  memberCount: number;
  /** Sent back as If-Match: a department someone changed meanwhile answers 412 instead of being overwritten. */
  version: number;
}

export interface RoleSummary {
  id: string;
  key: string | null;
  name: string;
  description: string | null;
  isSystem: boolean;
  userCount: number;
}

export interface PermissionGrant {
  entity: string;
  action: string;
  scope: Scope;
}

export interface FieldRule {
  entity: string;
  field: string;
  access: FieldAccess;
  masked: boolean;
}

export interface Role extends RoleSummary {
  permissions: PermissionGrant[];
  fieldRules: FieldRule[];
  version: number;
}

export interface CatalogEntity {
  key: string;
  actions: string[];
  scoped: boolean;
  fields: { key: string; maskable: boolean; label?: string }[];
}

export interface PermissionCatalog {
  scopes: Scope[];
  entities: CatalogEntity[];
}

export interface ApiKey {
  id: string;
  name: string;
  roleId: string;
  roleName: string;
  prefix: string;
  createdAt: string;
  createdByName: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKey extends ApiKey {
  secret: string;
}

export interface AuditEntry {
  id: string;
  action: string;
  actorUserId: string | null;
  actorName: string | null;
  actorApiKeyId: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  detail: Record<string, unknown> | null;
  createdAt: string;
}
