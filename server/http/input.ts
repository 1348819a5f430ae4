import type { FastifyInstance } from 'fastify';
import { AppError } from './app-error';

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A NUL character, or a UTF-16 surrogate without its partner. */
function unstorable(text: string): boolean {
  return text.includes('\u0000') || loneSurrogate.test(text);
}

/** The path of the first string (or object key) in a parsed request part that no database can store, or null. */
export function findUnstorableText(value: unknown, root: string): string | null {
  // Iterative: a body may nest deeply, and a recursive walk would overflow the stack.
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [current, path] = stack.pop() as [unknown, string];
    if (typeof current === 'string') {
      if (unstorable(current)) {
        return path;
      }
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, child] of Object.entries(current)) {
        if (unstorable(key)) {
          return path;
        }
        stack.push([child, `${path}.${key}`]);
      }
    }
  }
  return null;
}

/**
 * PostgreSQL refuses NUL characters and unpaired surrogates in text and jsonb (SQLite stores them
 * silently), so such input would fail half-way through a write — after the row, at the audit
 * entry — as a 500. No person types them: every route refuses them up front with a 400.
 */
export function registerInputChecks(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['body', request.body],
      ['query', request.query],
      ['params', request.params],
    ] as const) {
      const path = findUnstorableText(value, part);
      if (path !== null) {
        throw new AppError('validation_failed', {
          errors: [{ path, message: 'must not contain NUL characters or unpaired surrogates' }],
        });
      }
    }
  });
}
