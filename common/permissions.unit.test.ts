import { describe, expect, it } from 'vitest';
import {
  actions,
  entityCatalog,
  findEntity,
  maskEmail,
  maskPhone,
  maskText,
  maskValue,
  permissionKey,
  registerEntity,
  scopes,
  widerScope,
} from './permissions';

describe('maskPhone', () => {
  it('keeps the first 3 and last 4 digits of a mobile number', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
  });

  it('ignores spaces, dashes and parentheses', () => {
    expect(maskPhone('138 1234 1234')).toBe('138****1234');
    expect(maskPhone(' 138-1234-1234 ')).toBe('138****1234');
    expect(maskPhone('(010) 8888-1234')).toBe('010****1234');
  });

  it('keeps the +86 prefix readable and masks the number after it', () => {
    expect(maskPhone('+86 138 1234 1234')).toBe('+86 138****1234');
    expect(maskPhone('+8613812341234')).toBe('+86 138****1234');
    expect(maskPhone('0086 13812341234')).toBe('+86 138****1234');
  });

  it('masks other international numbers without revealing the middle', () => {
    expect(maskPhone('+1 415 555 0100')).toBe('+14****0100');
  });

  it('keeps only the last 2 digits of numbers shorter than a mobile number', () => {
    expect(maskPhone('88881234')).toBe('******34');
    expect(maskPhone('8888123')).toBe('*****23');
    expect(maskPhone('12345')).toBe('***45');
    expect(maskPhone('123')).toBe('*23');
  });

  it('never returns a short number in full', () => {
    for (const value of ['1', '12', '123', '1234567', '1234567890']) {
      const masked = maskPhone(value);
      expect(masked).not.toBe(value);
      expect(masked).toContain('*');
    }
    expect(maskPhone('12')).toBe('**');
    expect(maskPhone('')).toBe('*');
  });
});

describe('maskEmail', () => {
  it('keeps the first character and the domain', () => {
    expect(maskEmail('alice@example.com')).toBe('a***@example.com');
    expect(maskEmail('a@example.com')).toBe('a***@example.com');
  });

  it('hides the length of the local part', () => {
    expect(maskEmail('bartholomew@example.com')).toBe('b***@example.com');
  });

  it('splits at the last @', () => {
    expect(maskEmail('"a@b"@example.com')).toBe('"***@example.com');
  });

  it('falls back to text masking without a usable @', () => {
    expect(maskEmail('no-at-sign')).toBe('n******');
    expect(maskEmail('@example.com')).toBe('@******');
    expect(maskEmail('')).toBe('*');
  });

  it('does not split a character outside the BMP', () => {
    expect(maskEmail('😀bob@example.com')).toBe('😀***@example.com');
  });
});

describe('maskText', () => {
  it('keeps the first character and at most 6 stars', () => {
    expect(maskText('张三丰')).toBe('张**');
    expect(maskText('a very long company name')).toBe('a******');
    expect(maskText('x')).toBe('*');
    expect(maskText('')).toBe('*');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(maskText('𠮷野家')).toBe('𠮷**');
    expect(maskText('😀😀')).toBe('😀*');
    expect(maskText('𠮷')).toBe('*');
  });
});

describe('maskValue', () => {
  it('dispatches on the mask kind', () => {
    expect(maskValue('phone', '13812341234')).toBe('138****1234');
    expect(maskValue('email', 'alice@example.com')).toBe('a***@example.com');
    expect(maskValue('text', 'Alice')).toBe('A****');
  });
});

describe('the permission registry', () => {
  it('has the platform entities with their actions and maskable fields', () => {
    const keys = entityCatalog().map((e) => e.key);
    expect(keys).toEqual(expect.arrayContaining(['user', 'department', 'role', 'apiKey', 'auditLog']));
    const user = findEntity('user');
    expect(user).toMatchObject({ scoped: true, actions: ['view', 'create', 'edit', 'delete'] });
    expect(user?.fields.filter((f) => f.mask).map((f) => [f.key, f.mask])).toEqual([
      ['email', 'email'],
      ['phone', 'phone'],
    ]);
    expect(findEntity('auditLog')?.actions).toEqual(['view']);
  });

  it('only uses known actions and default scopes', () => {
    for (const entity of entityCatalog()) {
      for (const action of entity.actions) {
        expect(actions).toContain(action);
      }
      for (const grants of Object.values(entity.defaults)) {
        for (const [action, scope] of Object.entries(grants ?? {})) {
          expect(entity.actions).toContain(action);
          expect(scopes).toContain(scope);
        }
      }
    }
  });

  it('registers a new entity, idempotently per key (the last definition wins)', () => {
    const before = entityCatalog().length;
    registerEntity({ key: 'unitTestThing', actions: ['view'], scoped: false, fields: [] });
    registerEntity({ key: 'unitTestThing', actions: ['view', 'export'], scoped: true, fields: [{ key: 'phone', mask: 'phone' }] }, { sales: { view: 'own' } });
    expect(entityCatalog().length).toBe(before + 1);
    expect(findEntity('unitTestThing')).toMatchObject({ actions: ['view', 'export'], scoped: true, defaults: { sales: { view: 'own' } } });
  });

  it('returns a copy of the catalog list, not the registry itself', () => {
    const list = entityCatalog() as unknown[];
    list.length = 0;
    expect(entityCatalog().length).toBeGreaterThan(0);
  });

  it('knows nothing of unregistered entities', () => {
    expect(findEntity('nope')).toBeUndefined();
    expect(findEntity('__proto__')).toBeUndefined();
    expect(findEntity('constructor')).toBeUndefined();
  });

  it('builds permission keys', () => {
    expect(permissionKey('user', 'view')).toBe('user:view');
  });

  it('picks the wider of two scopes', () => {
    expect(widerScope(undefined, 'own')).toBe('own');
    expect(widerScope('own', 'all')).toBe('all');
    expect(widerScope('all', 'own')).toBe('all');
    expect(widerScope('department', 'subordinates')).toBe('department');
    expect(widerScope('departmentTree', 'department')).toBe('departmentTree');
    expect(widerScope('own', 'own')).toBe('own');
  });
});
