import type { Page } from 'playwright-core';
import { screenshot } from '../support';

/** Runs one step of a flow; on failure keeps a screenshot named `<flow>-<step>` and names the step in the error. */
export async function step(page: Page, flow: string, name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    await screenshot(page, `${flow}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`).catch(() => undefined);
    if (error instanceof Error) {
      error.message = `[step: ${name}] ${error.message}`;
    }
    throw error;
  }
}

/** Picks the option labelled `label` (or the first one) in the antd Select carrying `testId`. */
export async function pickOption(page: Page, testId: string, label?: string): Promise<void> {
  await page.getByTestId(testId).click();
  const options = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
  const option = label === undefined ? options.first() : options.filter({ hasText: label }).first();
  await option.click();
}
