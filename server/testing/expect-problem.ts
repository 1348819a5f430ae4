import { expect } from 'vitest';

/** Asserts an application/problem+json answer with the given status and stable code. */
export function expectProblem(res: { status: number; body: unknown; headers: Record<string, unknown> }, status: number, code: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status, code } });
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  const body = res.body as { title?: unknown; type?: unknown };
  expect(typeof body.title).toBe('string');
  expect(typeof body.type).toBe('string');
}
