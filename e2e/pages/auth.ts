import type { Locator, Page } from 'playwright-core';
import { AppShell } from './app-shell';

export interface SetupInput {
  workspaceName: string;
  name: string;
  email: string;
  password: string;
}

/** The first-run page that creates the workspace and its administrator. */
export class SetupPage {
  constructor(readonly page: Page) {}

  async complete(input: SetupInput): Promise<void> {
    const { page } = this;
    await page.getByTestId('setup-workspace-name').fill(input.workspaceName);
    await page.getByTestId('setup-name').fill(input.name);
    await page.getByTestId('setup-email').fill(input.email);
    await page.getByTestId('setup-password').fill(input.password);
    await page.getByTestId('setup-password-confirm').fill(input.password);
    await page.getByTestId('setup-submit').click();
  }
}

/** A fresh server opens on /setup: creates the workspace and its admin, and waits until signed in. */
export async function setUpWorkspace(page: Page, input: SetupInput): Promise<void> {
  await page.goto('/');
  await page.waitForURL('**/setup');
  await new SetupPage(page).complete(input);
  await new AppShell(page).waitUntilSignedIn(input.name);
}

export class LoginPage {
  constructor(readonly page: Page) {}

  get error(): Locator {
    return this.page.getByTestId('login-error');
  }

  async goto(): Promise<void> {
    await this.page.goto('/login');
    await this.page.getByTestId('login-email').waitFor();
  }

  /** Fills and submits the form; waits for the server's answer, not for what follows. */
  async signIn(email: string, password: string): Promise<number> {
    const { page } = this;
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(password);
    const answer = page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/login'));
    await page.getByTestId('login-submit').click();
    return (await answer).status();
  }
}
