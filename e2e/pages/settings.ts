import type { Locator, Page } from 'playwright-core';

/** Waits until no select/tree-select popup is showing. */
async function closedDropdowns(page: Page): Promise<void> {
  await page.locator('.ant-select-dropdown').filter({ visible: true }).first().waitFor({ state: 'hidden' });
}

/** Settings → Departments (a tree). */
export class DepartmentsPage {
  constructor(readonly page: Page) {}

  node(name: string): Locator {
    return this.page.getByTestId('dept-node').filter({ has: this.page.getByTestId('dept-node-name').getByText(name, { exact: true }) });
  }

  /** Creates a top-level department, or one under `parent`. */
  async create(name: string, parent?: string): Promise<void> {
    const { page } = this;
    if (parent) {
      await this.node(parent).getByTestId('dept-add-child').click();
    } else {
      await page.getByTestId('departments-create').click();
    }
    await page.getByTestId('dept-form-name').fill(name);
    const created = page.waitForResponse(
      (response) => response.url().endsWith('/api/v1/departments') && response.request().method() === 'POST',
    );
    await page.getByTestId('dept-form-submit').click();
    const response = await created;
    if (response.status() !== 201) {
      throw new Error(`creating department ${name} answered ${response.status()}: ${await response.text()}`);
    }
    await page.getByTestId('dept-form').waitFor({ state: 'detached' });
    await this.node(name).waitFor();
  }
}

/** Settings → Roles → New role (the permission matrix). */
export class RoleEditorPage {
  constructor(readonly page: Page) {}

  async openNew(): Promise<void> {
    await this.page.getByTestId('roles-create').click();
    await this.page.waitForURL('**/settings/roles/new');
    await this.page.getByTestId('permission-matrix').waitFor();
  }

  async setName(name: string): Promise<void> {
    await this.page.getByTestId('role-form-name').fill(name);
  }

  /** Ticks entity:action and picks its data scope. */
  async grant(entity: string, action: string, scope: string): Promise<void> {
    const { page } = this;
    await page.getByTestId(`perm-${entity}-${action}`).check();
    await page.getByTestId(`perm-scope-${entity}-${action}`).click();
    await page.getByTestId(`scope-option-${scope}`).filter({ visible: true }).click();
    await closedDropdowns(page);
  }

  /** Every ticked checkbox in the matrix (row toggles included). */
  checkedBoxes(): Locator {
    return this.page.getByTestId('permission-matrix').locator('.ant-checkbox-checked, .ant-checkbox-indeterminate');
  }

  async save(): Promise<void> {
    const { page } = this;
    const saved = page.waitForResponse(
      (response) => response.url().endsWith('/api/v1/roles') && response.request().method() === 'POST',
    );
    await page.getByTestId('role-save').click();
    const response = await saved;
    if (response.status() !== 201) {
      throw new Error(`saving the role answered ${response.status()}: ${await response.text()}`);
    }
    await page.waitForURL('**/settings/roles');
  }
}

export interface NewUser {
  name: string;
  email: string;
  phone: string;
  department: string;
  role: string;
  password: string;
}

/** Settings → Users. */
export class UsersPage {
  constructor(readonly page: Page) {}

  get table(): Locator {
    return this.page.getByTestId('users-table');
  }

  rows(): Locator {
    return this.table.locator('tbody tr.ant-table-row');
  }

  row(name: string): Locator {
    return this.rows().filter({ hasText: name });
  }

  /** Waits until the list has loaded (no spinner) and shows rows or the empty state. */
  async waitLoaded(): Promise<void> {
    await this.table.waitFor();
    await this.table.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
  }

  async create(user: NewUser): Promise<void> {
    const { page } = this;
    await page.getByTestId('users-create').click();
    await page.getByTestId('user-form-name').fill(user.name);
    await page.getByTestId('user-form-email').fill(user.email);
    await page.getByTestId('user-form-phone').fill(user.phone);

    await page.getByTestId('user-form-department').click();
    await page.locator('.ant-select-tree-title').getByText(user.department, { exact: true }).filter({ visible: true }).click();
    await closedDropdowns(page);

    const roles = page.getByTestId('user-form-roles');
    await roles.click();
    await roles.locator('input').fill(user.role);
    const option = page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
      .filter({ hasText: user.role });
    // The list re-renders while it filters on the typed text; a click that lands on an option
    // being replaced selects nothing (seen once on a slow machine), so pick again until it shows
    // as selected — never clicking a selected option, which would unselect it.
    const selected = option.and(page.locator('.ant-select-item-option-selected'));
    for (let attempt = 1; ; attempt += 1) {
      if ((await selected.count()) === 0) {
        await option.click();
      }
      try {
        await selected.waitFor({ timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt >= 3) {
          throw error;
        }
      }
    }
    // A multiple select stays open after a pick; clicking the dialog's title closes it.
    await page.locator('.ant-modal-title').click();
    await closedDropdowns(page);

    await page.getByTestId('user-form-password').fill(user.password);
    const created = page.waitForResponse(
      (response) => response.url().endsWith('/api/v1/users') && response.request().method() === 'POST',
    );
    await page.getByTestId('user-form-submit').click();
    const response = await created;
    if (response.status() !== 201) {
      throw new Error(`creating user ${user.email} answered ${response.status()}: ${await response.text()}`);
    }
    await page.getByTestId('user-form').waitFor({ state: 'detached' });
    await this.row(user.email).waitFor();
  }
}
