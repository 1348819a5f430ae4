import type { FieldAccess, FieldRule, PermissionCatalog, PermissionGrant, Role, Scope } from "../../app/api-types";

/** The action columns of the matrix, in display order. */
export const MATRIX_ACTIONS = ["view", "create", "edit", "delete", "export", "import", "transfer", "assign"] as const;

export const DEFAULT_SCOPE: Scope = "own";

/** "entity:action" → granted scope; a missing key means not granted. */
export type GrantMap = Record<string, Scope | undefined>;

/** "entity.field" → rule; a missing key means the default (editable, not masked). */
export type FieldRuleMap = Record<string, { access: FieldAccess; masked: boolean } | undefined>;

export function grantKey(entity: string, action: string): string {
  return `${entity}:${action}`;
}

export function fieldKey(entity: string, field: string): string {
  return `${entity}.${field}`;
}

export function grantsFromRole(role: Role | null): GrantMap {
  const map: GrantMap = {};
  for (const grant of role?.permissions ?? []) {
    map[grantKey(grant.entity, grant.action)] = grant.scope;
  }
  return map;
}

export function fieldRulesFromRole(role: Role | null): FieldRuleMap {
  const map: FieldRuleMap = {};
  for (const rule of role?.fieldRules ?? []) {
    map[fieldKey(rule.entity, rule.field)] = { access: rule.access, masked: rule.masked };
  }
  return map;
}

/** Grants for the catalog's entities; unscoped entities always carry scope "all". */
export function grantsToPermissions(catalog: PermissionCatalog, grants: GrantMap): PermissionGrant[] {
  const result: PermissionGrant[] = [];
  for (const entity of catalog.entities) {
    for (const action of entity.actions) {
      const scope = grants[grantKey(entity.key, action)];
      if (scope !== undefined) {
        result.push({ entity: entity.key, action, scope: entity.scoped ? scope : "all" });
      }
    }
  }
  return result;
}

/** Only rules that differ from the default (editable, not masked) are sent. */
export function fieldRuleMapToList(catalog: PermissionCatalog, rules: FieldRuleMap): FieldRule[] {
  const result: FieldRule[] = [];
  for (const entity of catalog.entities) {
    for (const field of entity.fields) {
      const rule = rules[fieldKey(entity.key, field.key)];
      if (!rule) {
        continue;
      }
      const masked = field.maskable && rule.access !== "hidden" ? rule.masked : false;
      if (rule.access !== "edit" || masked) {
        result.push({ entity: entity.key, field: field.key, access: rule.access, masked });
      }
    }
  }
  return result;
}
