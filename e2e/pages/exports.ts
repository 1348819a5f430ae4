import type { Page, Response } from 'playwright-core';

/** Clicks Start in the open export dialog and answers the `POST /api/v1/exports` it sends. */
export async function startExport(page: Page): Promise<Response> {
  const started = page.waitForResponse((r) => r.url().endsWith('/api/v1/exports') && r.request().method() === 'POST');
  await page.getByTestId('export-start').click();
  return started;
}
