import { i18n } from "./i18n";

export interface FieldError {
  path: string;
  message: string;
}

interface ApiErrorInit {
  status: number;
  code: string;
  title: string | null;
  detail: string | null;
  errors: FieldError[];
  retryAfter: number | null;
}

/** An RFC 9457 problem answer (or a network failure, status 0) from the API. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string | null;
  readonly detail: string | null;
  readonly errors: FieldError[];
  /** Seconds from the Retry-After header of a 429 answer. */
  readonly retryAfter: number | null;

  constructor(init: ApiErrorInit) {
    super(init.detail ?? init.title ?? init.code);
    this.name = "ApiError";
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.errors = init.errors;
    this.retryAfter = init.retryAfter;
  }
}

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

const BASE_PATH = "/api/v1";
const CSRF_COOKIE = "haoke_csrf";

let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;

export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}

/** Called when a request answers 401 because the session is gone. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) {
      return decodeURIComponent(rest.join("="));
    }
  }
  return null;
}

/**
 * A 401 from these calls is an expected answer (not signed in, wrong password),
 * not a sign that the session expired.
 */
function isSessionProbe(method: HttpMethod, path: string): boolean {
  if (method === "GET" && path === "/auth/me") {
    return true;
  }
  return path === "/auth/login" || path === "/auth/password" || path === "/setup";
}

export type QueryValue = string | number | boolean | null | undefined;

/** Appends the defined, non-empty values as a query string. */
export function withQuery(path: string, query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asString(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function toFieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) {
    return [];
  }
  const result: FieldError[] = [];
  for (const item of value) {
    if (isRecord(item)) {
      const rawPath = item.path;
      const path = Array.isArray(rawPath) ? rawPath.map((part) => `${part}`).join(".") : (asString(rawPath) ?? "");
      result.push({ path, message: asString(item.message) ?? "" });
    }
  }
  return result;
}

function toApiError(response: Response, body: unknown): ApiError {
  const problem = isRecord(body) ? body : {};
  const retryHeader = response.headers.get("Retry-After");
  const retryAfter = retryHeader !== null && /^\d+$/.test(retryHeader) ? Number(retryHeader) : null;
  return new ApiError({
    status: response.status,
    code: asString(problem.code) ?? `http_${response.status}`,
    title: asString(problem.title),
    detail: asString(problem.detail),
    errors: toFieldErrors(problem.errors),
    retryAfter,
  });
}

export interface RequestOptions {
  /** The record version the edit is based on; a newer one answers 412 version_mismatch. */
  ifMatch?: number;
}

/** Calls the API under /api/v1 and returns the parsed JSON body (undefined for 204). */
export async function apiRequest<T>(
  method: HttpMethod,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = {
    Accept: "application/json, application/problem+json",
    "Accept-Language": i18n.language || "en",
  };
  if (options.ifMatch !== undefined) {
    headers["If-Match"] = `"${options.ifMatch}"`;
  }
  // A FormData body (file upload) sets its own multipart Content-Type with the boundary.
  const isForm = body instanceof FormData;
  if (body !== undefined && !isForm) {
    headers["Content-Type"] = "application/json";
  }
  if (method !== "GET") {
    const token = csrfToken ?? readCookie(CSRF_COOKIE);
    if (token) {
      headers["X-CSRF-Token"] = token;
    }
  }

  let response: Response;
  try {
    response = await fetch(`${BASE_PATH}${path}`, {
      method,
      headers,
      credentials: "include",
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({
      status: 0,
      code: "network_error",
      title: null,
      detail: null,
      errors: [],
      retryAfter: null,
    });
  }

  const text = response.status === 204 ? "" : await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }

  if (!response.ok) {
    const error = toApiError(response, parsed);
    if (response.status === 401 && !isSessionProbe(method, path)) {
      csrfToken = null;
      unauthorizedHandler?.();
    }
    throw error;
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string) => apiRequest<T>("GET", path),
  post: <T>(path: string, body?: unknown) => apiRequest<T>("POST", path, body ?? {}),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) => apiRequest<T>("PATCH", path, body, options),
  put: <T>(path: string, body: unknown, options?: RequestOptions) => apiRequest<T>("PUT", path, body, options),
  delete: <T = void>(path: string) => apiRequest<T>("DELETE", path),
  /** POSTs a multipart form (file uploads). */
  upload: <T>(path: string, form: FormData) => apiRequest<T>("POST", path, form),
};
