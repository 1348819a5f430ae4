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

/**
 * Fills an input and checks, a moment later, that the value is still there; fills again if not. A
 * dialog's form can re-render just after it opens (a list refetching under it), and a value typed
 * in that instant is lost — the submit then fails validation and sends nothing (seen once in CI).
 */
export async function fillSteady(locator: Locator, value: string): Promise<void> {
  await expect
    .poll(
      async () => {
        if ((await locator.inputValue({ timeout: TIMEOUT })) !== value) {
          await locator.fill(value, { timeout: TIMEOUT });
        }
        await new Promise((resolve) => setTimeout(resolve, 150));
        return locator.inputValue({ timeout: TIMEOUT });
      },
      { timeout: TIMEOUT },
    )
    .toBe(value);
}
