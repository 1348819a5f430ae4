import type { Page } from 'playwright-core';

/**
 * Calls the public API as the user signed in on `page` (same cookies, CSRF header from the
 * haoke_csrf cookie) — for arranging extra data quickly and for checking what the UI saved.
 */
export async function callApi<T>(page: Page, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const cookies = await page.context().cookies();
  const csrf = cookies.find((cookie) => cookie.name === 'haoke_csrf')?.value ?? '';
  const response = await page.request.fetch(`/api/v1${path}`, {
    method,
    headers: { 'x-csrf-token': decodeURIComponent(csrf) },
    ...(body === undefined ? {} : { data: body }),
  });
  const text = await response.text();
  return { status: response.status(), body: (text ? JSON.parse(text) : null) as T };
}
