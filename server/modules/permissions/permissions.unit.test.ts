import { describe, expect, it } from 'vitest';
import type { PermissionKey, Scope } from '../../../common/permissions';
import { AppError } from '../../http/app-error';
import {
  assertWritableFields,
  can,
  type FieldAccess,
  fieldAccess,
  inScope,
  type Permissions,
  presentFields,
  requirePermission,
  serializePermissions,
} from './permissions.service';

function permissions(actions: Record<string, Scope[]>, fields: Record<string, Record<string, FieldAccess>> = {}): Permissions {
  return {
    actions: new Map(Object.entries(actions) as [PermissionKey, Scope[]][]),
    fields: new Map(Object.entries(fields).map(([entity, rules]) => [entity, new Map(Object.entries(rules))])),
  };
}

interface UserRecord {
  id: string;
  name: string;
  email?: string;
  phone?: string | null;
  departmentId?: string | null;
  departmentName?: string | null;
}

const fieldKeys: Record<string, (keyof UserRecord)[]> = {
  email: ['email'],
  phone: ['phone'],
  department: ['departmentId', 'departmentName'],
};

const record: UserRecord = {
  id: 'u1',
  name: 'Alice',
  email: 'alice@example.com',
  phone: '13812341234',
  departmentId: 'd1',
  departmentName: 'Sales',
};

function thrownBy(fn: () => void): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('can / requirePermission', () => {
  const p = permissions({ 'user:view': ['own'], 'role:edit': ['all'], 'user:edit': [] });

  it('is true when some role grants the action at any scope', () => {
    expect(can(p, 'user:view')).toBe(true);
    expect(can(p, 'role:edit')).toBe(true);
  });

  it('is false for an action without grants, or with an empty grant list', () => {
    expect(can(p, 'user:delete')).toBe(false);
    expect(can(p, 'user:edit')).toBe(false);
    expect(can(permissions({}), 'user:view')).toBe(false);
  });

  it('throws forbidden when the permission is missing', () => {
    expect(() => requirePermission(p, 'role:edit')).not.toThrow();
    expect(thrownBy(() => requirePermission(p, 'apiKey:create')).code).toBe('forbidden');
  });
});

describe('inScope', () => {
  it("lets 'all' see every record, ownerless ones included", () => {
    expect(inScope({ kind: 'all' }, 'anyone')).toBe(true);
    expect(inScope({ kind: 'all' }, null)).toBe(true);
  });

  it('lets an owner list see only its owners, never ownerless records', () => {
    const filter = { kind: 'owners', ownerIds: ['u1', 'u2'] } as const;
    expect(inScope(filter, 'u1')).toBe(true);
    expect(inScope(filter, 'u3')).toBe(false);
    expect(inScope(filter, null)).toBe(false);
    expect(inScope({ kind: 'owners', ownerIds: [] }, 'u1')).toBe(false);
  });
});

describe('fieldAccess', () => {
  it('defaults to editable and unmasked without a rule', () => {
    expect(fieldAccess(permissions({}), 'user', 'phone')).toEqual({ access: 'edit', masked: false });
  });

  it('returns the merged rule when there is one', () => {
    const p = permissions({}, { user: { phone: { access: 'read', masked: true } } });
    expect(fieldAccess(p, 'user', 'phone')).toEqual({ access: 'read', masked: true });
    expect(fieldAccess(p, 'user', 'email')).toEqual({ access: 'edit', masked: false });
  });
});

describe('presentFields', () => {
  it('returns the record as it is without rules for the entity', () => {
    const p = permissions({}, { role: { name: { access: 'hidden', masked: false } } });
    expect(presentFields(p, 'user', record, fieldKeys)).toEqual(record);
  });

  it('removes every property of a hidden field', () => {
    const p = permissions({}, { user: { department: { access: 'hidden', masked: false } } });
    const out = presentFields(p, 'user', record, fieldKeys);
    expect(out).not.toHaveProperty('departmentId');
    expect(out).not.toHaveProperty('departmentName');
    expect(out).toMatchObject({ name: 'Alice', email: 'alice@example.com' });
  });

  it('masks maskable fields marked masked, with the catalog mask kind', () => {
    const p = permissions({}, { user: { phone: { access: 'read', masked: true }, email: { access: 'read', masked: true } } });
    expect(presentFields(p, 'user', record, fieldKeys)).toMatchObject({ phone: '138****1234', email: 'a***@example.com' });
  });

  it('leaves read-only unmasked fields as they are', () => {
    const p = permissions({}, { user: { phone: { access: 'read', masked: false } } });
    expect(presentFields(p, 'user', record, fieldKeys).phone).toBe('13812341234');
  });

  it('does not mask a field the catalog cannot mask', () => {
    const p = permissions({}, { user: { department: { access: 'read', masked: true } } });
    expect(presentFields(p, 'user', record, fieldKeys).departmentName).toBe('Sales');
  });

  it('leaves null and empty values alone', () => {
    const p = permissions({}, { user: { phone: { access: 'read', masked: true } } });
    expect(presentFields(p, 'user', { ...record, phone: null }, fieldKeys).phone).toBeNull();
    expect(presentFields(p, 'user', { ...record, phone: '' }, fieldKeys).phone).toBe('');
  });

  it('ignores rules for fields the record does not map', () => {
    const p = permissions({}, { user: { roles: { access: 'hidden', masked: false } } });
    expect(presentFields(p, 'user', record, fieldKeys)).toEqual(record);
  });

  it('never changes the record it was given', () => {
    const copy = structuredClone(record);
    const p = permissions({}, { user: { phone: { access: 'read', masked: true }, email: { access: 'hidden', masked: false } } });
    presentFields(p, 'user', record, fieldKeys);
    expect(record).toEqual(copy);
  });
});

describe('assertWritableFields', () => {
  const p = permissions(
    {},
    {
      user: {
        email: { access: 'hidden', masked: false },
        phone: { access: 'read', masked: true },
        department: { access: 'read', masked: false },
        manager: { access: 'edit', masked: true },
      },
    },
  );

  it('accepts fields without a rule', () => {
    expect(() => assertWritableFields(p, 'user', ['name', 'roles'])).not.toThrow();
    expect(() => assertWritableFields(p, 'user', [])).not.toThrow();
  });

  it('rejects hidden, read-only and masked fields, naming each', () => {
    const error = thrownBy(() => assertWritableFields(p, 'user', ['name', 'email', 'phone', 'department', 'manager']));
    expect(error.code).toBe('field_forbidden');
    expect(error.errors?.map((e) => e.path)).toEqual(['email', 'phone', 'department', 'manager']);
  });

  it('applies only the rules of the given entity', () => {
    expect(() => assertWritableFields(p, 'customer', ['email'])).not.toThrow();
  });
});

describe('serializePermissions', () => {
  it('reports the widest scope per action and only non-default field rules', () => {
    const p = permissions(
      {
        'user:view': ['own', 'departmentTree', 'subordinates'],
        'user:edit': ['subordinates', 'department'],
        'role:view': ['all'],
        'apiKey:view': ['own', 'all'],
      },
      { user: { phone: { access: 'read', masked: true } } },
    );
    expect(serializePermissions(p)).toEqual({
      actions: { 'user:view': 'departmentTree', 'user:edit': 'department', 'role:view': 'all', 'apiKey:view': 'all' },
      fields: { user: { phone: { access: 'read', masked: true } } },
    });
  });

  it('is empty for a principal without grants', () => {
    expect(serializePermissions(permissions({}))).toEqual({ actions: {}, fields: {} });
  });

  it('produces plain JSON (no Maps)', () => {
    const p = permissions({ 'user:view': ['own'] }, { user: { email: { access: 'hidden', masked: false } } });
    const json = serializePermissions(p);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
