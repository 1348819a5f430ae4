import type { Page } from 'playwright-core';

/**
 * Opens a list's column chooser and ticks one hidden column.
 *
 * Under CI load the leads flow once clicked the checkbox and saw no new column; it did not come
 * back in ten runs here. antd opens the chooser with a zoom animation and aligns it to its button
 * over the first frames, and a click sent in that window is the likely cause (not proven). So this
 * waits for the popover's animations to finish, then uses `check()`, which fails at once, with a
 * clear message, when the tick did not take.
 */
export async function showColumn(page: Page, chooserTestId: string, toggleTestId: string): Promise<void> {
  await page.getByTestId(chooserTestId).click();
  const toggle = page.getByTestId(toggleTestId);
  await toggle.waitFor();
  await toggle.evaluate(async (element) => {
    const popover = element.closest('.ant-popover') ?? element;
    await Promise.all(popover.getAnimations({ subtree: true }).map((animation) => animation.finished));
  });
  await toggle.check();
}
