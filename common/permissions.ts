/**
 * The permission catalog: every entity registers its actions and fields here, and gets data
 * scopes, field rules and masking from the engine without further code. Shared by server
 * (enforcement) and web (the role editor's matrix).
 */
export const scopes = ['own', 'subordinates', 'department', 'departmentTree', 'all'] as const;
export type Scope = (typeof scopes)[number];

export const actions = ['view', 'create', 'edit', 'delete', 'export', 'import', 'transfer', 'assign'] as const;
export type Action = (typeof actions)[number];

export const fieldAccessLevels = ['hidden', 'read', 'edit'] as const;
export type FieldAccessLevel = (typeof fieldAccessLevels)[number];

export type MaskKind = 'phone' | 'email' | 'text';

export interface EntityField {
  key: string;
  /** How the value is masked when a role marks it masked; absent = the field cannot be masked. */
  mask?: MaskKind;
}

export interface EntityDefinition {
  key: string;
  actions: readonly Action[];
  /** Scoped entities have owners; their actions carry a data scope. Others are all-or-nothing. */
  scoped: boolean;
  fields: readonly EntityField[];
}

export const seededRoleKeys = ['admin', 'sales_manager', 'sales', 'service_agent', 'marketer'] as const;
export type SeededRoleKey = (typeof seededRoleKeys)[number];

/** What each seeded role gets by default, per entity and action. Admin always gets everything at 'all'. */
export type RoleDefaults = Partial<Record<Exclude<SeededRoleKey, 'admin'>, Partial<Record<Action, Scope>>>>;

interface CatalogEntry extends EntityDefinition {
  defaults: RoleDefaults;
}

const registry = new Map<string, CatalogEntry>();

/** Registers an entity with the permission engine. Idempotent for the same key. */
export function registerEntity(definition: EntityDefinition, defaults: RoleDefaults = {}): void {
  registry.set(definition.key, { ...definition, defaults });
}

export function entityCatalog(): readonly CatalogEntry[] {
  return [...registry.values()];
}

export function findEntity(key: string): CatalogEntry | undefined {
  return registry.get(key);
}

export type PermissionKey = `${string}:${Action}`;

export function permissionKey(entity: string, action: Action): PermissionKey {
  return `${entity}:${action}`;
}

const scopeRank: Record<Scope, number> = { own: 0, subordinates: 1, department: 2, departmentTree: 3, all: 4 };

/**
 * The wider of two scopes. 'subordinates' and 'department' are not strictly nested, but the
 * engine widens a user with both to the union (see server/modules/permissions), so the rank only
 * decides which one to report when one value is needed.
 */
export function widerScope(a: Scope | undefined, b: Scope): Scope {
  if (a === undefined) {
    return b;
  }
  return scopeRank[b] > scopeRank[a] ? b : a;
}

/**
 * 13812341234 → 138****1234, +86 138 1234 1234 → +86 138****1234. Numbers shorter than a mobile
 * number (landlines, extensions) keep only their last 2 digits: "first 3 + last 4" would show
 * all of a 7-digit number.
 */
export function maskPhone(value: string): string {
  const compact = value.replace(/[\s()-]/g, '');
  const mainland = /^(?:\+86|0086)(\d{11})$/.exec(compact);
  if (mainland?.[1]) {
    return `+86 ${maskPhone(mainland[1])}`;
  }
  if (compact.length >= 11) {
    return `${compact.slice(0, 3)}****${compact.slice(-4)}`;
  }
  if (compact.length <= 2) {
    return '*'.repeat(Math.max(compact.length, 1));
  }
  return `${'*'.repeat(compact.length - 2)}${compact.slice(-2)}`;
}

/** alice@example.com → a***@example.com */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0) {
    return maskText(value);
  }
  return `${Array.from(value.slice(0, at))[0] ?? ''}***${value.slice(at)}`;
}

/** 张三丰 → 张**. Counts characters, not UTF-16 units, so an emoji or a rare CJK character is never split. */
export function maskText(value: string): string {
  const chars = Array.from(value);
  if (chars.length <= 1) {
    return '*';
  }
  return `${chars[0] ?? ''}${'*'.repeat(Math.min(chars.length - 1, 6))}`;
}

export function maskValue(kind: MaskKind, value: string): string {
  switch (kind) {
    case 'phone':
      return maskPhone(value);
    case 'email':
      return maskEmail(value);
    case 'text':
      return maskText(value);
  }
}

// Platform entities. Later modules register theirs beside their own code.
registerEntity(
  {
    key: 'user',
    actions: ['view', 'create', 'edit', 'delete'],
    scoped: true,
    // The name identifies a person everywhere, so it is not subject to field rules.
    fields: [
      { key: 'email', mask: 'email' },
      { key: 'phone', mask: 'phone' },
      { key: 'department' },
      { key: 'manager' },
      { key: 'roles' },
    ],
  },
  {
    sales_manager: { view: 'departmentTree' },
    sales: { view: 'department' },
    service_agent: { view: 'department' },
    marketer: { view: 'department' },
  },
);
registerEntity(
  { key: 'department', actions: ['view', 'create', 'edit', 'delete'], scoped: false, fields: [] },
  { sales_manager: { view: 'all' }, sales: { view: 'all' }, service_agent: { view: 'all' }, marketer: { view: 'all' } },
);
registerEntity({ key: 'role', actions: ['view', 'create', 'edit', 'delete'], scoped: false, fields: [] });
registerEntity({ key: 'apiKey', actions: ['view', 'create', 'delete'], scoped: false, fields: [] });
registerEntity({ key: 'auditLog', actions: ['view'], scoped: false, fields: [] });
