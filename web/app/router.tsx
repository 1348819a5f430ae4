import { createBrowserRouter } from "react-router";
import { NotFoundResult } from "../components/StatusResults";
import { ApiKeysPage } from "../features/api-keys/ApiKeysPage";
import { AuditLogPage } from "../features/audit-log/AuditLogPage";
import { LoginPage } from "../features/auth/LoginPage";
import { DepartmentsPage } from "../features/departments/DepartmentsPage";
import { HomePage } from "../features/home/HomePage";
import { ProfilePage } from "../features/profile/ProfilePage";
import { RoleEditorPage } from "../features/roles/RoleEditorPage";
import { RolesPage } from "../features/roles/RolesPage";
import { SetupPage } from "../features/setup/SetupPage";
import { UsersPage } from "../features/users/UsersPage";
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
