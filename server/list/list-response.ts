import { isDeepStrictEqual } from 'node:util';
import type { FastifyRouteSchemaDef } from 'fastify/types/schema';
import { serializerCompiler } from 'fastify-type-provider-zod';

/**
 * Whether presented responses are checked against their schema. On in tests, so a presenter that
 * drifts from its zod schema (an extra property, a wrong type) fails loudly there.
 */
const verify = process.env.VITEST !== undefined || process.env.NODE_ENV === 'test';

type Compiler = Parameters<typeof serializerCompiler>[0];

/**
 * Serializer for list and record responses built by typed presenters (TypeScript already holds
 * them to the schema's inferred type). The route's zod schema still documents the answer
 * (OpenAPI) and is checked in tests; in production the answer is not parsed a second time
 * (~0.3 ms of a 50-row customer page). Usage: `serializerCompiler: presentedSerializer` in the
 * route's options.
 */
export function presentedSerializer<T>(route: FastifyRouteSchemaDef<T>): (data: unknown) => string {
  const checked = serializerCompiler(route as unknown as Compiler);
  if (!verify) {
    return (data) => JSON.stringify(data);
  }
  return (data) => {
    const encoded = checked(data);
    const plain: unknown = JSON.parse(JSON.stringify(data) ?? 'null');
    if (!isDeepStrictEqual(JSON.parse(encoded), plain)) {
      throw new Error(`${route.method} ${route.url}: the presented answer differs from its response schema (a property the schema does not declare?)`);
    }
    return encoded;
  };
}
