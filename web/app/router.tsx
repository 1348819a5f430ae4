import { createBrowserRouter } from "react-router";
import { NotFoundResult } from "../components/StatusResults";
import { ApiKeysPage } from "../features/api-keys/ApiKeysPage";
import { ApprovalFlowsPage } from "../features/approvals/ApprovalFlowsPage";
import { MyApprovalsPage } from "../features/approvals/MyApprovalsPage";
import { ContractDetailPage } from "../features/contracts/ContractDetailPage";
import { ContractSettingsPage } from "../features/contracts/ContractSettingsPage";
import { ContractsPage } from "../features/contracts/ContractsPage";
import { AuditLogPage } from "../features/audit-log/AuditLogPage";
import { LoginPage } from "../features/auth/LoginPage";
import { CustomFieldsPage } from "../features/custom-fields/CustomFieldsPage";
import { ContactsPage } from "../features/contacts/ContactsPage";
import { CustomersPage } from "../features/customers/CustomersPage";
import { DealsPage } from "../features/deals/DealsPage";
import { PipelineSettingsPage } from "../features/pipelines/PipelineSettingsPage";
import { ProductsPage } from "../features/products/ProductsPage";
import { DepartmentsPage } from "../features/departments/DepartmentsPage";
import { HomePage } from "../features/home/HomePage";
import { PicklistsPage } from "../features/picklists/PicklistsPage";
import { ProfilePage } from "../features/profile/ProfilePage";
import { RoleEditorPage } from "../features/roles/RoleEditorPage";
import { RolesPage } from "../features/roles/RolesPage";
import { SetupPage } from "../features/setup/SetupPage";
import { TagsPage } from "../features/tags/TagsPage";
import { UsersPage } from "../features/users/UsersPage";
import { WorkspaceSettingsPage } from "../features/workspace-settings/WorkspaceSettingsPage";
import { Customer360Page } from "../features/customer-360/Customer360Page";
import { DuplicatesPage } from "../features/duplicates/DuplicatesPage";
import { FollowUpRecordsPage } from "../features/follow-ups/FollowUpRecordsPage";
import { MyFollowUpsPage } from "../features/follow-ups/MyFollowUpsPage";
import { ImportsHistoryPage } from "../features/imports/ImportsHistoryPage";
import { ImportWizardPage } from "../features/imports/ImportWizardPage";
import { RequireImportPermission } from "../features/imports/RequireImportPermission";
import { LeadDetailPage } from "../features/leads/LeadDetailPage";
import { LeadsPage } from "../features/leads/LeadsPage";
import { PaymentDetailPage } from "../features/payments/PaymentDetailPage";
import { PaymentsPage } from "../features/payments/PaymentsPage";
import { ExpiringPage } from "../features/pools/ExpiringPage";
import { PoolPage } from "../features/pools/PoolPage";
import { PoolSettingsPage } from "../features/pools/PoolSettingsPage";
import { TargetsPage } from "../features/targets/TargetsPage";
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
                  path: "contacts",
                  element: (
                    <RequirePermission permission="contact:view">
                      <ContactsPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "settings/workspace",
                  element: (
                    <RequirePermission permission="workspace:edit">
                      <WorkspaceSettingsPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "customers/import",
                  element: (
                    <RequireImportPermission>
                      <ImportWizardPage />
                    </RequireImportPermission>
                  ),
                },
                {
                  path: "customers/imports",
                  element: (
                    <RequireImportPermission>
                      <ImportsHistoryPage />
                    </RequireImportPermission>
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
                  path: "leads",
                  element: (
                    <RequirePermission permission="lead:view">
                      <LeadsPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "leads/:id",
                  element: (
                    <RequirePermission permission="lead:view">
                      <LeadDetailPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "deals",
                  element: (
                    <RequirePermission permission="deal:view">
                      <DealsPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "products",
                  element: (
                    <RequirePermission permission="product:view">
                      <ProductsPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "settings/pipelines",
                  element: (
                    <RequirePermission permission="pipeline:edit">
                      <PipelineSettingsPage />
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
                  path: "payments",
                  element: (
                    <RequirePermission permission="payment:view">
                      <PaymentsPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "payments/:id",
                  element: (
                    <RequirePermission permission="payment:view">
                      <PaymentDetailPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "targets",
                  element: (
                    <RequirePermission permission="target:view">
                      <TargetsPage />
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
                  path: "follow-ups/records",
                  element: (
                    <RequirePermission permission="followUp:view">
                      <FollowUpRecordsPage />
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
                {
                  path: "contracts",
                  element: (
                    <RequirePermission permission="contract:view">
                      <ContractsPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "contracts/:id",
                  element: (
                    <RequirePermission permission="contract:view">
                      <ContractDetailPage />
                    </RequirePermission>
                  ),
                },
                { path: "approvals", element: <MyApprovalsPage /> },
                {
                  path: "settings/approval-flows",
                  element: (
                    <RequirePermission permission="approvalFlow:view">
                      <ApprovalFlowsPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "settings/contracts",
                  element: (
                    <RequirePermission permission="contractNumbering:edit">
                      <ContractSettingsPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "pools",
                  element: (
                    <RequirePermission permission="pool:view">
                      <PoolPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "pools/expiring",
                  element: (
                    <RequirePermission permission="customer:view">
                      <ExpiringPage />
                    </RequirePermission>
                  ),
                },
                {
                  path: "settings/pools",
                  element: (
                    <RequirePermission permission="pool:edit">
                      <PoolSettingsPage />
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
