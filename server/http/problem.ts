import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { localizeIssueMessage } from './issue-messages';
import { type ErrorCode, errorCatalog } from '../../common/error-codes';
import { type Locale, pickLocale } from '../../common/locale';
import { localizeMessage } from '../../common/messages-zh';
import { isForeignKeyViolation, isUniqueViolation } from '../db/dialect';
import { AppError, type FieldError } from './app-error';
import type { Problem } from './schemas';

/** The caller's language: their own setting, else the request's Accept-Language. */
export function requestLocale(request: FastifyRequest): Locale {
  return request.auth?.locale ?? pickLocale(request.headers['accept-language']);
}

function titleFor(code: ErrorCode, request: FastifyRequest): string {
  const locale = requestLocale(request);
  const entry = errorCatalog[code];
  return locale === 'zh-CN' ? entry.zh : entry.en;
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, code: ErrorCode, extra: Partial<Problem> = {}) {
  const status = errorCatalog[code].status;
  // The code writes messages in English; a zh-CN caller reads them in Chinese (common/messages-zh.ts).
  const locale = requestLocale(request);
  const body: Problem = {
    type: `https://haoke.dev/errors/${code.replace(/_/g, '-')}`,
    title: titleFor(code, request),
    status,
    code,
    ...extra,
    ...(extra.detail !== undefined ? { detail: localizeMessage(extra.detail, locale) } : {}),
    ...(extra.errors ? { errors: extra.errors.map((e) => ({ ...e, message: localizeMessage(e.message, locale) })) } : {}),
  };
  return reply.status(status).type('application/problem+json; charset=utf-8').send(body);
}

/** Maps Fastify's own error codes (body parsing, limits) to ours. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation_failed',
  FST_ERR_CTP_INVALID_JSON_BODY: 'validation_failed',
  FST_ERR_CTP_INVALID_CHARSET: 'unsupported_media_type',
  FST_ERR_VALIDATION: 'validation_failed',
  FST_ERR_BAD_URL: 'bad_request',
  FST_ERR_MAX_PARAM_LENGTH: 'bad_request',
  FST_ERR_ASYNC_CONSTRAINT: 'bad_request',
};

/**
 * Fastify's `frameworkErrors`: errors raised while routing, before any hook or error handler
 * runs (a malformed percent-encoding, an over-long path parameter). Same problem documents.
 */
export function sendFrameworkProblem(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void sendProblem(request, reply, fastifyCodes[error.code] ?? 'bad_request', { detail: error.message });
}

function validationErrors(error: FastifyError, request: FastifyRequest): FieldError[] {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const locale = requestLocale(request);
    return error.validation.map((v) => ({
      path: `${error.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`.replace(/\.$/, ''),
      message: localizeIssueMessage({ code: v.keyword, message: v.message ?? 'invalid', params: v.params }, locale),
    }));
  }
  return [];
}

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request, reply) => {
    if (error instanceof AppError) {
      if (error.retryAfter !== undefined) {
        void reply.header('Retry-After', String(error.retryAfter));
      }
      return sendProblem(request, reply, error.code, {
        ...(error.detail !== undefined ? { detail: error.detail } : {}),
        ...(error.errors ? { errors: error.errors } : {}),
      });
    }
    if (isUniqueViolation(error)) {
      return sendProblem(request, reply, 'conflict');
    }
    if (isForeignKeyViolation(error)) {
      return sendProblem(request, reply, 'validation_failed', { detail: 'A referenced record does not exist' });
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.validation) {
      const errors = validationErrors(fastifyError, request);
      return sendProblem(request, reply, 'validation_failed', {
        detail: errors.length > 0 ? `${errors.length} field(s) are invalid` : fastifyError.message,
        errors,
      });
    }
    if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode === 429) {
      return sendProblem(request, reply, 'rate_limited');
    }
    const mapped = fastifyError.code ? fastifyCodes[fastifyError.code] : undefined;
    if (mapped) {
      return sendProblem(request, reply, mapped, { detail: fastifyError.message });
    }
    if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return sendProblem(request, reply, 'bad_request', { detail: fastifyError.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(request, reply, 'internal');
  });
}
