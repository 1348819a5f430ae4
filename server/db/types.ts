import type { ColumnType, Generated } from 'kysely';
import type { SalesTables } from './types-sales';
import type {
  PicklistOptionsTable,
  TagsTable,
  RecordTagsTable,
  CustomFieldsTable,
  CustomersTable,
  CustomerCollaboratorsTable,
  ContactsTable,
  FollowUpsTable,
  FollowUpFilesTable,
  TimelineEventsTable,
  SavedViewsTable,
  FilesTable,
  JobsTable,
  ImportsTable,
  ImportErrorsTable,
  ImportMappingsTable,
  ExportsTable,
  SearchDocsTable,
} from './types-crm';

export type * from './types-crm';
export type * from './types-sales';

/** ISO-8601 UTC string in both dialects (timestamptz on PostgreSQL, TEXT on SQLite). */
export type Timestamp = string;
/** JSON is written as a string and read back as text (SQLite) or a value (PostgreSQL); see parseJson. */
export type JsonColumn = ColumnType<unknown, string, string>;
/** 0/1 flags: SQLite has no boolean type, so both dialects use integers. */
export type Flag = number;

export interface WorkspacesTable {
  id: string;
  name: string;
  currency: string;
  locale: string;
  timezone: string;
  settings: JsonColumn | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  version: Generated<number>;
}

export interface UsersTable {
  id: string;
  workspaceId: string;
  email: string;
  name: string;
  phone: string | null;
  passwordHash: string;
  departmentId: string | null;
  managerId: string | null;
  status: 'active' | 'inactive';
  locale: string | null;
  failedLogins: Generated<number>;
  lockedUntil: Timestamp | null;
  lastLoginAt: Timestamp | null;
  passwordChangedAt: Timestamp;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  version: Generated<number>;
}

export interface DepartmentsTable {
  id: string;
  workspaceId: string;
  name: string;
  parentId: string | null;
  leaderId: string | null;
  sort: number;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  version: Generated<number>;
}

export interface RolesTable {
  id: string;
  workspaceId: string;
  key: string | null;
  name: string;
  description: string | null;
  isSystem: Flag;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  version: Generated<number>;
}

export interface RolePermissionsTable {
  workspaceId: string;
  roleId: string;
  entity: string;
  action: string;
  scope: string;
}

/** (entity, action) pairs whose seeded-role defaults a workspace has been given (seed-roles.ts). */
export interface RoleDefaultsAppliedTable {
  workspaceId: string;
  entity: string;
  action: string;
}

export interface RoleFieldRulesTable {
  workspaceId: string;
  roleId: string;
  entity: string;
  field: string;
  access: string;
  masked: Flag;
}

export interface UserRolesTable {
  workspaceId: string;
  userId: string;
  roleId: string;
}

export interface SessionsTable {
  id: string;
  workspaceId: string;
  userId: string;
  csrfToken: string;
  createdAt: Timestamp;
  lastSeenAt: Timestamp;
  expiresAt: Timestamp;
  ip: string | null;
  userAgent: string | null;
}

export interface ApiKeysTable {
  id: string;
  workspaceId: string;
  name: string;
  roleId: string;
  prefix: string;
  secretHash: string;
  createdBy: string | null;
  createdAt: Timestamp;
  lastUsedAt: Timestamp | null;
  revokedAt: Timestamp | null;
}

export interface AuditLogTable {
  id: string;
  workspaceId: string;
  action: string;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  detail: JsonColumn | null;
  createdAt: Timestamp;
}

export interface IdempotencyKeysTable {
  workspaceId: string;
  principal: string;
  key: string;
  requestHash: string;
  statusCode: number;
  responseBody: string;
  createdAt: Timestamp;
}

/**
 * Every table Kysely knows. Feature areas added later declare their tables in their own
 * `types-<area>.ts` as an interface `<Area>Tables` and add it to this `extends` list, so parallel
 * work never edits the same lines.
 */
export interface Database extends SalesTables {
  workspaces: WorkspacesTable;
  users: UsersTable;
  departments: DepartmentsTable;
  roles: RolesTable;
  rolePermissions: RolePermissionsTable;
  roleDefaultsApplied: RoleDefaultsAppliedTable;
  roleFieldRules: RoleFieldRulesTable;
  userRoles: UserRolesTable;
  sessions: SessionsTable;
  apiKeys: ApiKeysTable;
  auditLog: AuditLogTable;
  idempotencyKeys: IdempotencyKeysTable;
  picklistOptions: PicklistOptionsTable;
  tags: TagsTable;
  recordTags: RecordTagsTable;
  customFields: CustomFieldsTable;
  customers: CustomersTable;
  customerCollaborators: CustomerCollaboratorsTable;
  contacts: ContactsTable;
  followUps: FollowUpsTable;
  followUpFiles: FollowUpFilesTable;
  timelineEvents: TimelineEventsTable;
  savedViews: SavedViewsTable;
  files: FilesTable;
  searchDocs: SearchDocsTable;
  jobs: JobsTable;
  imports: ImportsTable;
  importErrors: ImportErrorsTable;
  importMappings: ImportMappingsTable;
  exports: ExportsTable;
}
