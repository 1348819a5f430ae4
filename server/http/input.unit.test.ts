import { describe, expect, it } from 'vitest';
import { AppError } from './app-error';
import { decodeCursor, encodeCursor } from './cursor';
import { findUnstorableText } from './input';

describe('findUnstorableText', () => {
  it('accepts ordinary text, emoji (paired surrogates) and non-strings', () => {
    expect(findUnstorableText({ name: '张三😀', tags: ['a', 'b'], n: 1, ok: true, none: null }, 'body')).toBeNull();
    expect(findUnstorableText(undefined, 'body')).toBeNull();
    expect(findUnstorableText('', 'query')).toBeNull();
  });

  it('finds a NUL character and names its path', () => {
    expect(findUnstorableText({ a: { b: ['x', 'y\u0000'] } }, 'body')).toBe('body.a.b.1');
    expect(findUnstorableText('\u0000', 'query')).toBe('query');
  });

  it('finds unpaired surrogates, high or low', () => {
    expect(findUnstorableText({ name: 'a\ud800b' }, 'body')).toBe('body.name');
    expect(findUnstorableText({ name: 'a\udc00' }, 'body')).toBe('body.name');
    expect(findUnstorableText({ name: '\ud83d' }, 'body')).toBe('body.name');
  });

  it('checks object keys too', () => {
    expect(findUnstorableText({ 'k\u0000': 1 }, 'body')).toBe('body');
  });

  it('walks deep nesting without overflowing the stack', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 100_000; i += 1) {
      deep = [deep];
    }
    expect(findUnstorableText(deep, 'body')).toMatch(/^body(\.0)+$/);
  });
});

describe('decodeCursor', () => {
  const position = { createdAt: '2026-11-22T08:00:00.000Z', id: '01a205ad-b9d9-71ac-b730-322ce140b05f' };

  it('round-trips a cursor it made', () => {
    expect(decodeCursor(encodeCursor(position), ['createdAt', 'id'])).toEqual(position);
  });

  it('returns only the asked-for keys', () => {
    expect(decodeCursor(encodeCursor({ ...position, extra: 'x' }), ['createdAt', 'id'])).toEqual(position);
  });

  it('rejects forged cursors with values their columns cannot hold', () => {
    const forged = [
      'not base64 json',
      encodeCursor({ createdAt: 'garbage', id: position.id }),
      encodeCursor({ createdAt: position.createdAt, id: "'; DROP TABLE users;--" }),
      encodeCursor({ createdAt: position.createdAt, id: 'x\u0000' }),
      encodeCursor({ createdAt: position.createdAt }),
      Buffer.from(JSON.stringify({ createdAt: 1, id: 2 })).toString('base64url'),
      Buffer.from('null').toString('base64url'),
    ];
    for (const cursor of forged) {
      let error: unknown;
      try {
        decodeCursor(cursor, ['createdAt', 'id']);
      } catch (e) {
        error = e;
      }
      expect(error, cursor).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('validation_failed');
    }
  });

  it('leaves keys without a naming convention free-form (but storable)', () => {
    expect(decodeCursor(encodeCursor({ name: "O'Brien" }), ['name'])).toEqual({ name: "O'Brien" });
    expect(() => decodeCursor(encodeCursor({ name: 'a\ud800' }), ['name'])).toThrow(AppError);
  });
});
