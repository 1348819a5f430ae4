import type { Locator } from 'playwright-core';
import { expect } from 'vitest';

const TIMEOUT = 10_000;

/** Retries until the element's text contains (or equals, for a RegExp: matches) `text`. */
export async function expectText(locator: Locator, text: string | RegExp): Promise<void> {
  const read = () => locator.innerText({ timeout: TIMEOUT });
  if (typeof text === 'string') {
    await expect.poll(read, { timeout: TIMEOUT }).toContain(text);
  } else {
    await expect.poll(read, { timeout: TIMEOUT }).toMatch(text);
  }
}

/** Retries until `locator` matches exactly `count` elements. */
export async function expectCount(locator: Locator, count: number): Promise<void> {
  await expect.poll(() => locator.count(), { timeout: TIMEOUT }).toBe(count);
}

/** Retries until the page's path is `path`. */
export async function expectPath(page: { url: () => string }, path: string): Promise<void> {
  await expect.poll(() => new URL(page.url()).pathname, { timeout: TIMEOUT }).toBe(path);
}
