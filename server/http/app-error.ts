import { type ErrorCode, errorCatalog } from '../../common/error-codes';

export interface FieldError {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  detail?: string;
  errors?: FieldError[];
  /** Seconds, for 429 and 503 answers. */
  retryAfter?: number;
}

/**
 * The one error type services throw. It carries a stable code; the HTTP status comes from the
 * catalog, so services never think in HTTP terms.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    super(options.detail ?? errorCatalog[code].en);
    this.name = 'AppError';
    this.code = code;
    this.detail = options.detail;
    this.errors = options.errors;
    this.retryAfter = options.retryAfter;
  }
}

export function notFound(): AppError {
  return new AppError('not_found');
}

/**
 * All or nothing over a selection: throws not_found naming the first of `ids` that `found` lacks,
 * so a client can drop it and retry.
 */
export function requireAllFound(ids: readonly string[], found: readonly { id: string }[], detail: (id: string) => string): void {
  const have = new Set(found.map((r) => r.id));
  const missing = ids.find((id) => !have.has(id));
  if (missing !== undefined) {
    throw new AppError('not_found', { detail: detail(missing) });
  }
}

export function forbidden(detail?: string): AppError {
  return new AppError('forbidden', detail === undefined ? {} : { detail });
}
