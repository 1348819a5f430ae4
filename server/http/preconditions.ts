import type { FastifyRequest } from 'fastify';
import { AppError } from './app-error';

/** Reads `If-Match: <version>` (quotes allowed) for optimistic concurrency; absent = no check. */
export function expectedVersion(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) {
    return undefined;
  }
  const match = typeof header === 'string' ? /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim()) : null;
  if (!match?.[1]) {
    throw new AppError('validation_failed', { errors: [{ path: 'If-Match', message: 'must be a record version' }] });
  }
  return Number(match[1]);
}
