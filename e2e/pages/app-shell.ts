import type { Locator, Page } from 'playwright-core';

export type Language = 'en' | 'zh-CN';

/** The signed-in frame: side navigation, language switch and user menu. */
export class AppShell {
  constructor(readonly page: Page) {}

  nav(item: 'home' | 'users' | 'departments' | 'roles' | 'api-keys' | 'audit-log'): Locator {
    return this.page.getByTestId(`nav-${item}`);
  }

  get sideNav(): Locator {
    return this.page.getByTestId('side-nav');
  }

  get userName(): Locator {
    return this.page.getByTestId('user-menu-name');
  }

  /** Waits until the layout of a signed-in user is on screen. */
  async waitUntilSignedIn(name: string): Promise<void> {
    await this.page.getByTestId('user-menu').waitFor();
    await this.page.getByTestId('user-menu-name').filter({ hasText: name }).waitFor();
  }

  /** Opens a settings page from the side navigation and waits for its URL. */
  async open(item: 'users' | 'departments' | 'roles' | 'api-keys' | 'audit-log'): Promise<void> {
    await this.nav(item).click();
    await this.page.waitForURL(`**/settings/${item}`);
  }

  /** Picks a language and waits until the side navigation is written in it. */
  async switchLanguage(lang: Language): Promise<void> {
    await this.page.getByTestId('lang-switch').click();
    const option = this.page.getByTestId(`lang-option-${lang}`).filter({ visible: true });
    // The choice is saved to the profile too; wait for that so a reload sees it.
    const saved = this.page.waitForResponse(
      (response) => response.url().endsWith('/api/v1/auth/me') && response.request().method() === 'PATCH',
    );
    await option.click();
    const response = await saved;
    if (!response.ok()) {
      throw new Error(`saving the language answered ${response.status()}`);
    }
    await this.page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
  }

  async signOut(): Promise<void> {
    await this.page.getByTestId('user-menu').click();
    await this.page.getByTestId('user-menu-logout').filter({ visible: true }).click();
    await this.page.waitForURL('**/login');
    await this.page.getByTestId('login-email').waitFor();
  }
}
