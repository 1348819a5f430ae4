import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from './pages/api';
import { AppShell } from './pages/app-shell';
import { LoginPage, setUpWorkspace } from './pages/auth';
import { expectCount, expectPath, expectText } from './pages/expect';
import { DepartmentsPage, RoleEditorPage, UsersPage } from './pages/settings';
import { step as runStep } from './pages/step';
import { type E2eEnv, newPage, startE2e } from './support';

const admin = { workspaceName: 'Acme Trading 好客', name: 'Ann Admin', email: 'ann@acme.test', password: 'admin-pass-2024!' };
const sales = 'Sales';
const salesEast = 'Sales East';
const viewerRole = 'Department user viewer';
const lin = {
  name: 'Lin Wei',
  email: 'lin.wei@acme.test',
  phone: '13800138000',
  department: sales,
  role: viewerRole,
  password: 'lin-secret-pass-1',
};

interface Department {
  id: string;
  name: string;
  parentId: string | null;
}
interface Role {
  id: string;
  name: string;
  permissions: { entity: string; action: string; scope: string }[];
  fieldRules: unknown[];
}

const step = (page: Page, name: string, run: () => Promise<void>) => runStep(page, 'platform', name, run);

describe('platform, through the browser', () => {
  let env: E2eEnv;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    env = await startE2e();
    ({ context, page } = await newPage(env, 'en-US'));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // 401s are expected answers here (the "who am I" probe, the wrong password).
      if (message.type() === 'error' && !/status of 401/.test(message.text())) {
        pageErrors.push(`console: ${message.text()}`);
      }
    });
  });

  afterAll(async () => {
    await context?.close();
    await env?.close();
  });

  it('first run → org and role → a department-scoped user sees only what the role allows, in both languages', async () => {
    const shell = new AppShell(page);
    const departments = new DepartmentsPage(page);
    const roleEditor = new RoleEditorPage(page);
    const users = new UsersPage(page);
    const login = new LoginPage(page);

    await step(page, 'first-run setup', async () => {
      await setUpWorkspace(page, admin);
      await expectPath(page, '/');
      await expectText(page.getByTestId('home-welcome-title'), `Hello, ${admin.name}`);
      await expectText(page.getByTestId('header-workspace'), admin.workspaceName);
      for (const item of ['home', 'users', 'departments', 'roles', 'api-keys', 'audit-log'] as const) {
        await shell.nav(item).waitFor();
      }
      // Setup is a one-time thing: the page now sends the admin home.
      await page.goto('/setup');
      await expectPath(page, '/');
    });

    await step(page, 'departments', async () => {
      await shell.open('departments');
      await departments.create(sales);
      await departments.create(salesEast, sales);
      await expectCount(page.getByTestId('dept-node'), 2);
      const { body } = await callApi<{ data: Department[] }>(page, 'GET', '/departments');
      const byName = new Map(body.data.map((d) => [d.name, d]));
      expect(byName.get(sales)?.parentId).toBeNull();
      expect(byName.get(salesEast)?.parentId).toBe(byName.get(sales)?.id);
    });

    await step(page, 'role with one scoped permission', async () => {
      await shell.open('roles');
      await roleEditor.openNew();
      await roleEditor.setName(viewerRole);
      await roleEditor.grant('user', 'view', 'department');
      await expectText(page.getByTestId('perm-scope-user-view'), 'Department');
      // One ticked cell, and its row shown as partly granted — nothing else.
      await expectCount(page.getByTestId('permission-matrix').locator('.ant-checkbox-checked'), 1);
      await expectCount(page.getByTestId('permission-matrix').locator('.ant-checkbox-indeterminate'), 1);
      await roleEditor.save();
      await expectText(page.getByTestId('roles-table'), viewerRole);
      const roles = await callApi<{ data: Role[] }>(page, 'GET', '/roles');
      const summary = roles.body.data.find((role) => role.name === viewerRole);
      expect(summary).toBeDefined();
      const role = await callApi<Role>(page, 'GET', `/roles/${summary?.id}`);
      expect(role.body.permissions).toEqual([{ entity: 'user', action: 'view', scope: 'department' }]);
      expect(role.body.fieldRules).toEqual([]);
    });

    await step(page, 'user in the department with the role', async () => {
      await shell.open('users');
      await users.waitLoaded();
      await users.create(lin);
      const row = users.row(lin.email);
      await expectText(row, lin.name);
      await expectText(row, sales);
      await expectText(row, viewerRole);
      // Two more people, arranged through the API: a colleague in Sales and one in Sales East.
      const depts = (await callApi<{ data: Department[] }>(page, 'GET', '/departments')).body.data;
      const deptId = (name: string) => depts.find((d) => d.name === name)?.id;
      for (const [name, email, department] of [
        ['Chen Jie', 'chen.jie@acme.test', sales],
        ['Zhao Min', 'zhao.min@acme.test', salesEast],
      ] as const) {
        const created = await callApi(page, 'POST', '/users', {
          name,
          email,
          departmentId: deptId(department),
          roleIds: [],
          password: 'another-long-pass-1',
        });
        expect(created.status).toBe(201);
      }
      await page.reload();
      await users.waitLoaded();
      await expectCount(users.rows(), 4);
    });

    await step(page, 'sign out as admin', async () => {
      await shell.signOut();
      await expectText(page.getByTestId('login-submit'), 'Sign in');
    });

    await step(page, 'wrong password is refused', async () => {
      expect(await login.signIn(lin.email, 'not-the-password-1')).toBe(401);
      await expectText(login.error, 'Wrong email or password');
      await expectPath(page, '/login');
      await expectCount(page.getByTestId('user-menu'), 0);
    });

    await step(page, 'sign in as the scoped user', async () => {
      expect(await login.signIn(lin.email, lin.password)).toBe(200);
      await shell.waitUntilSignedIn(lin.name);
      await expectPath(page, '/');
      await expectText(page.getByTestId('home-roles'), viewerRole);
      await expectCount(login.error, 0);
    });

    await step(page, 'navigation follows the role', async () => {
      await page.waitForLoadState('networkidle');
      await shell.nav('home').waitFor();
      await shell.nav('users').waitFor();
      for (const item of ['departments', 'roles', 'api-keys', 'audit-log'] as const) {
        await expectCount(shell.nav(item), 0);
      }
    });

    await step(page, 'users list is limited to the department', async () => {
      await shell.open('users');
      await users.waitLoaded();
      await page.waitForLoadState('networkidle');
      await expectCount(users.rows(), 2);
      await users.row(lin.email).waitFor();
      await users.row('chen.jie@acme.test').waitFor();
      await expectCount(users.row(admin.email), 0);
      await expectCount(users.row('zhao.min@acme.test'), 0);
      // View only: no create button, no row actions.
      await expectCount(page.getByTestId('users-create'), 0);
      await expectCount(page.getByTestId('user-edit'), 0);
    });

    await step(page, 'a page the role does not allow shows 403', async () => {
      await page.goto('/settings/roles');
      await page.getByTestId('forbidden').waitFor();
      await expectText(page.getByTestId('forbidden'), '403');
      await expectCount(page.getByTestId('roles-table'), 0);
      // The server agrees, not just the UI.
      expect((await callApi(page, 'GET', '/roles')).status).toBe(403);
    });

    await step(page, 'language switch, remembered after reload', async () => {
      await shell.nav('home').click();
      await expectPath(page, '/');
      await expectText(shell.nav('users'), 'Users');

      await shell.switchLanguage('zh-CN');
      await expectText(shell.nav('users'), '用户');
      await expectText(shell.nav('home'), '首页');
      await expectText(page.getByTestId('home-welcome-title'), `你好，${lin.name}`);
      await page.reload();
      await shell.waitUntilSignedIn(lin.name);
      await expectText(shell.nav('home'), '首页');
      await expectText(page.getByTestId('lang-switch'), '简体中文');

      await shell.switchLanguage('en');
      await expectText(shell.nav('home'), 'Home');
      await expectText(page.getByTestId('home-welcome-title'), `Hello, ${lin.name}`);
      await page.reload();
      await shell.waitUntilSignedIn(lin.name);
      await expectText(shell.nav('users'), 'Users');
      await expectText(page.getByTestId('lang-switch'), 'English');
    });

    await step(page, 'sign out as the scoped user', async () => {
      await shell.signOut();
      await expectText(page.getByTestId('login-submit'), 'Sign in');
      // Signed out for real: a protected page sends back to the login page.
      await page.goto('/settings/users');
      await page.waitForURL('**/login');
    });

    // No uncaught exception or console error in the app along the whole way.
    expect(pageErrors).toEqual([]);
  });
});
