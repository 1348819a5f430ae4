import { describe, expect, it } from 'vitest';
import { AppError } from '../../http/app-error';
import { assertPasswordPolicy, burnPasswordCheck, hashPassword, passwordMaxLength, passwordMinLength, verifyPassword } from './passwords';

const fast = { memoryKib: 1024 };

function policyErrors(password: string, email = 'alice@example.com'): string[] | null {
  try {
    assertPasswordPolicy(password, email);
    return null;
  } catch (error) {
    if (error instanceof AppError && error.code === 'password_policy') {
      return (error.errors ?? []).map((e) => `${e.path}: ${e.message}`);
    }
    throw error;
  }
}

describe('assertPasswordPolicy', () => {
  it('accepts 10 characters or more', () => {
    expect(passwordMinLength).toBe(10);
    expect(policyErrors('abcdefghij')).toBeNull();
    expect(policyErrors('correct horse battery staple')).toBeNull();
    expect(policyErrors('密码密码密码密码密码')).toBeNull();
  });

  it('rejects fewer than 10 characters', () => {
    expect(policyErrors('abcdefghi')).toEqual(['password: must be at least 10 characters']);
    expect(policyErrors('')).toEqual(['password: must be at least 10 characters']);
  });

  it('rejects more than 200 characters', () => {
    expect(passwordMaxLength).toBe(200);
    expect(policyErrors('x'.repeat(200))).toBeNull();
    expect(policyErrors('x'.repeat(201))).toEqual(['password: must be at most 200 characters']);
  });

  it('rejects the email itself, in any case and with surrounding spaces', () => {
    for (const password of ['alice@example.com', 'ALICE@Example.COM', '  alice@example.com  ']) {
      expect(policyErrors(password), password).toEqual(['password: must not be your email']);
    }
  });

  it("rejects the email's local part", () => {
    expect(policyErrors('alice.smith', 'alice.smith@example.com')).toEqual(['password: must not be your email']);
    expect(policyErrors('Alice.Smith', 'alice.smith@example.com')).toEqual(['password: must not be your email']);
  });

  it('reports every problem at once', () => {
    expect(policyErrors('bob', 'bob@example.com')).toEqual(['password: must be at least 10 characters', 'password: must not be your email']);
  });

  it('allows passwords that merely contain the email', () => {
    expect(policyErrors('alice@example.com-and-more')).toBeNull();
  });
});

describe('argon2id hashing', () => {
  it('hashes with argon2id and the given memory cost', async () => {
    const hash = await hashPassword('Test-password-123', fast);
    expect(hash).toMatch(/^\$argon2id\$v=19\$/);
    const params = hash.split('$')[3]?.split(',').sort();
    expect(params).toEqual(['m=1024', 'p=1', 't=2']);
    expect(hash).not.toContain('Test-password-123');
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password!', fast)).not.toBe(await hashPassword('same password!', fast));
  });

  it('verifies the right password and only the right one', async () => {
    const hash = await hashPassword('Test-password-123', fast);
    expect(await verifyPassword(hash, 'Test-password-123')).toBe(true);
    expect(await verifyPassword(hash, 'test-password-123')).toBe(false);
    expect(await verifyPassword(hash, 'Test-password-123 ')).toBe(false);
    expect(await verifyPassword(hash, '')).toBe(false);
  });

  it('handles non-ASCII passwords', async () => {
    const hash = await hashPassword('密码-пароль-😀-123', fast);
    expect(await verifyPassword(hash, '密码-пароль-😀-123')).toBe(true);
    expect(await verifyPassword(hash, '密码-пароль-😀-124')).toBe(false);
  });

  it('answers false, never throws, for a malformed stored hash', async () => {
    for (const hash of ['', 'not a hash', '$argon2id$v=19$m=1024,t=2,p=1$broken', '$2b$10$abcdefghijklmnopqrstuv']) {
      await expect(verifyPassword(hash, 'anything')).resolves.toBe(false);
    }
  });

  it('spends a password check on unknown accounts without failing', async () => {
    await expect(burnPasswordCheck('whatever', fast)).resolves.toBeUndefined();
    await expect(burnPasswordCheck('dummy-password-for-timing', fast)).resolves.toBeUndefined();
  });
});

describe('password length counts characters, not UTF-16 units', () => {
  it('rejects five emoji (10 UTF-16 units) and accepts ten', () => {
    expect(() => assertPasswordPolicy('😀😀😀😀😀', 'a@example.com')).toThrow();
    expect(() => assertPasswordPolicy('😀😀😀😀😀😀😀😀😀😀', 'a@example.com')).not.toThrow();
  });
});
