import { createBrowserRouter } from "react-router";
import { NotFoundResult } from "../components/StatusResults";
import { ApiKeysPage } from "../features/api-keys/ApiKeysPage";
import { AuditLogPage } from "../features/audit-log/AuditLogPage";
import { LoginPage } from "../features/auth/LoginPage";
import { CustomFieldsPage } from "../features/custom-fields/CustomFieldsPage";
import { CustomersPage } from "../features/customers/CustomersPage";
import { DepartmentsPage } from "../features/departments/DepartmentsPage";
import { HomePage } from "../features/home/HomePage";
import { PicklistsPage } from "../features/picklists/PicklistsPage";
import { ProfilePage } from "../features/profile/ProfilePage";
import { RoleEditorPage } from "../features/roles/RoleEditorPage";
import { RolesPage } from "../features/roles/RolesPage";
import { SetupPage } from "../features/setup/SetupPage";
import { TagsPage } from "../features/tags/TagsPage";
import { UsersPage } from "../features/users/UsersPage";
import { Customer360Page } from "../features/customer-360/Customer360Page";
import { DuplicatesPage } from "../features/duplicates/DuplicatesPage";
import { MyFollowUpsPage } from "../features/follow-ups/MyFollowUpsPage";
import { ImportsHistoryPage } from "../features/imports/ImportsHistoryPage";
import { ImportWizardPage } from "../features/imports/ImportWizardPage";
import { AppLayout } from "./AppLayout";
import { RequireAuth, RequirePermission, SetupGate } from "./guards";

export function createRouter() {
  return createBrowserRouter([
    {
      element: <SetupGate />,
      children: [
        { path: "/setup", element: <SetupPage /> },
        { path: "/login", element: <LoginPage /> },
        {
          element: <RequireAuth />,
          children: [
            {
              element: <AppLayout />,
              children: [
                { index: true, element: <HomePage /> },
                { path: "profile", element: <ProfilePage /> },
                {
                  path: "customers",
                  element: (
                    <RequirePermission permission="customer:view">
                      <CustomersPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "customers/import",
                  element: (
                    <RequirePermission permission="customer:import">
                      <ImportWizardPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "customers/imports",
                  element: (
                    <RequirePermission permission="customer:import">
                      <ImportsHistoryPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "customers/duplicates",
                  element: (
                    <RequirePermission permission="customer:edit">
                      <DuplicatesPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "customers/:id",
                  element: (
                    <RequirePermission permission="customer:view">
                      <Customer360Page />
                    </RequirePermission>
                  ),
                },
                {
                  path: "follow-ups",
                  element: (
                    <RequirePermission permission="followUp:view">
                      <MyFollowUpsPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "settings/custom-fields",
                  element: (
                    <RequirePermission permission="customField:edit">
                      <CustomFieldsPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "settings/options",
                  element: (
                    <RequirePermission permission="picklist:edit">
                      <PicklistsPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "settings/tags",
                  element: (
                    <RequirePermission permission="tag:edit">
                      <TagsPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "settings/users",
                  element: (
                    <RequirePermission permission="user:view">
                      <UsersPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "settings/departments",
                  element: (
                    <RequirePermission permission="department:view">
                      <DepartmentsPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "settings/roles",
                  element: (
                    <RequirePermission permission="role:view">
                      <RolesPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "settings/roles/new",
                  element: (
                    <RequirePermission permission="role:create">
                      <RoleEditorPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "settings/roles/:id",
                  element: (
                    <RequirePermission permission="role:view">
                      <RoleEditorPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "settings/api-keys",
                  element: (
                    <RequirePermission permission="apiKey:view">
                      <ApiKeysPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "settings/audit-log",
                  element: (
                    <RequirePermission permission="auditLog:view">
                      <AuditLogPage />
                    </RequirePermission>
                  ),
                },
                { path: "*", element: <NotFoundResult /> },
              ],
            },
          ],
        },
      ],
    },
  ]);
}
