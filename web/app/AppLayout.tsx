import {
  AimOutlined,
  ApartmentOutlined,
  AuditOutlined,
  CheckSquareOutlined,
  CloudOutlined,
  CloudServerOutlined,
  BranchesOutlined,
  FileProtectOutlined,
  NumberOutlined,
  FormOutlined,
  FundOutlined,
  FunnelPlotOutlined,
  ShoppingOutlined,
  ContactsOutlined,
  IdcardOutlined,
  SettingOutlined,
  DownOutlined,
  HomeOutlined,
  ImportOutlined,
  KeyOutlined,
  LogoutOutlined,
  MergeCellsOutlined,
  MoneyCollectOutlined,
  RiseOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  CommentOutlined,
  TagsOutlined,
  TeamOutlined,
  UnorderedListOutlined,
  UserOutlined,
} from "@ant-design/icons";
import { Avatar, Button, Dropdown, Flex, Layout, Menu, Typography, theme } from "antd";
import type { MenuProps } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation, useNavigate } from "react-router";
import { LanguageSwitch } from "../components/LanguageSwitch";
import { useNotify } from "../components/use-notify";
import { GlobalSearch } from "../features/search/GlobalSearch";
import { api, setCsrfToken } from "./api";
import { useCan, useSession } from "./session";

interface NavEntry {
  key: string;
  path: string;
  /** Shown when the user holds this permission (or any of several); null: everyone. */
  permission: string | readonly string[] | null;
  icon: ReactNode;
  testId: string;
}

const MAIN_NAV: NavEntry[] = [
  { key: "home", path: "/", permission: null, icon: <HomeOutlined />, testId: "nav-home" },
  { key: "leads", path: "/leads", permission: "lead:view", icon: <AimOutlined />, testId: "nav-leads" },
  { key: "customers", path: "/customers", permission: "customer:view", icon: <ContactsOutlined />, testId: "nav-customers" },
  { key: "contacts", path: "/contacts", permission: "contact:view", icon: <IdcardOutlined />, testId: "nav-contacts" },
  { key: "pools", path: "/pools", permission: "pool:view", icon: <CloudOutlined />, testId: "nav-pool" },
  { key: "deals", path: "/deals", permission: "deal:view", icon: <FundOutlined />, testId: "nav-deals" },
  { key: "products", path: "/products", permission: "product:view", icon: <ShoppingOutlined />, testId: "nav-products" },
  { key: "followUps", path: "/follow-ups", permission: "followUp:view", icon: <ScheduleOutlined />, testId: "nav-follow-ups" },
  { key: "followUpRecords", path: "/follow-ups/records", permission: "followUp:view", icon: <CommentOutlined />, testId: "nav-follow-up-records" },
  { key: "contracts", path: "/contracts", permission: "contract:view", icon: <FileProtectOutlined />, testId: "nav-contracts" },
  { key: "payments", path: "/payments", permission: "payment:view", icon: <MoneyCollectOutlined />, testId: "nav-payments" },
  { key: "approvals", path: "/approvals", permission: null, icon: <CheckSquareOutlined />, testId: "nav-approvals" },
  { key: "targets", path: "/targets", permission: "target:view", icon: <RiseOutlined />, testId: "nav-targets" },
  {
    key: "duplicates",
    path: "/customers/duplicates",
    permission: "customer:edit",
    icon: <MergeCellsOutlined />,
    testId: "nav-duplicates",
  },
  { key: "imports", path: "/customers/import", permission: ["customer:import", "contact:import", "lead:import", "product:import"], icon: <ImportOutlined />, testId: "nav-imports" },
];

function mayOpen(entry: NavEntry, can: (permission: string) => boolean): boolean {
  if (entry.permission === null) {
    return true;
  }
  return typeof entry.permission === "string" ? can(entry.permission) : entry.permission.some(can);
}

const SETTINGS_NAV: NavEntry[] = [
  { key: "workspaceSettings", path: "/settings/workspace", permission: "workspace:edit", icon: <SettingOutlined />, testId: "nav-workspace-settings" },
  { key: "users", path: "/settings/users", permission: "user:view", icon: <TeamOutlined />, testId: "nav-users" },
  {
    key: "departments",
    path: "/settings/departments",
    permission: "department:view",
    icon: <ApartmentOutlined />,
    testId: "nav-departments",
  },
  {
    key: "roles",
    path: "/settings/roles",
    permission: "role:view",
    icon: <SafetyCertificateOutlined />,
    testId: "nav-roles",
  },
  { key: "apiKeys", path: "/settings/api-keys", permission: "apiKey:view", icon: <KeyOutlined />, testId: "nav-api-keys" },
  {
    key: "auditLog",
    path: "/settings/audit-log",
    permission: "auditLog:view",
    icon: <AuditOutlined />,
    testId: "nav-audit-log",
  },
  {
    key: "customFields",
    path: "/settings/custom-fields",
    permission: "customField:edit",
    icon: <FormOutlined />,
    testId: "nav-custom-fields",
  },
  {
    key: "options",
    path: "/settings/options",
    permission: "picklist:edit",
    icon: <UnorderedListOutlined />,
    testId: "nav-options",
  },
  { key: "tags", path: "/settings/tags", permission: "tag:edit", icon: <TagsOutlined />, testId: "nav-tags" },
  { key: "poolSettings", path: "/settings/pools", permission: "pool:edit", icon: <CloudServerOutlined />, testId: "nav-pool-settings" },
  { key: "pipelines", path: "/settings/pipelines", permission: "pipeline:edit", icon: <FunnelPlotOutlined />, testId: "nav-pipelines" },
  {
    key: "approvalFlows",
    path: "/settings/approval-flows",
    permission: "approvalFlow:view",
    icon: <BranchesOutlined />,
    testId: "nav-approval-flows",
  },
  {
    key: "contractSettings",
    path: "/settings/contracts",
    permission: "contractNumbering:edit",
    icon: <NumberOutlined />,
    testId: "nav-contract-settings",
  },
];

function selectedKey(pathname: string): string {
  const match = [...MAIN_NAV, ...SETTINGS_NAV]
    .filter((entry) => entry.path !== "/" && (pathname === entry.path || pathname.startsWith(`${entry.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (pathname === "/customers/imports") {
    return "imports";
  }
  return match?.key ?? (pathname === "/" ? "home" : "");
}

export function AppLayout() {
  const { t } = useTranslation();
  const me = useSession();
  const can = useCan();
  const location = useLocation();
  const navigate = useNavigate();
  const notify = useNotify();
  const { token } = theme.useToken();

  const toItem = (entry: NavEntry) => ({
    key: entry.key,
    icon: entry.icon,
    label: (
      <Link to={entry.path} data-testid={entry.testId}>
        {t(`nav.${entry.key}`)}
      </Link>
    ),
  });
  const settingsItems = SETTINGS_NAV.filter((entry) => mayOpen(entry, can)).map(toItem);
  const menuItems: MenuProps["items"] = [
    ...MAIN_NAV.filter((entry) => mayOpen(entry, can)).map(toItem),
    ...(settingsItems.length > 0
      ? [{ type: "group" as const, key: "settings", label: t("nav.settings"), children: settingsItems }]
      : []),
  ];

  const signOut = async () => {
    try {
      await api.post("/auth/logout");
    } catch (error) {
      notify.error(error);
    }
    setCsrfToken(null);
    // A full page load drops every cached record of this user before the next one signs in.
    window.location.replace("/login");
  };

  const userMenu: MenuProps["items"] = [
    {
      key: "profile",
      icon: <UserOutlined />,
      label: <span data-testid="user-menu-profile">{t("nav.profile")}</span>,
    },
    { type: "divider" },
    {
      key: "logout",
      icon: <LogoutOutlined />,
      label: <span data-testid="user-menu-logout">{t("auth.signOut")}</span>,
    },
  ];

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light" width={220} data-testid="side-nav">
        <Flex align="center" gap={8} style={{ height: 64, padding: "0 20px" }}>
          <Typography.Title level={4} style={{ margin: 0, color: token.colorPrimary }} data-testid="app-title">
            {t("app.name")}
          </Typography.Title>
        </Flex>
        <Menu mode="inline" items={menuItems} selectedKeys={[selectedKey(location.pathname)]} style={{ borderInlineEnd: 0 }} />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            padding: "0 24px",
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <Flex align="center" justify="space-between" style={{ height: "100%" }}>
            <Flex align="center" gap={16}>
              <Typography.Text type="secondary" data-testid="header-workspace">
                {me.workspace.name}
              </Typography.Text>
              {can("customer:view") ? <GlobalSearch /> : null}
            </Flex>
            <Flex align="center" gap={8}>
              <LanguageSwitch />
              <Dropdown
                trigger={["click"]}
                menu={{
                  items: userMenu,
                  onClick: ({ key }) => {
                    if (key === "profile") {
                      void navigate("/profile");
                    } else if (key === "logout") {
                      void signOut();
                    }
                  },
                }}
              >
                <Button type="text" data-testid="user-menu">
                  <Avatar size="small" icon={<UserOutlined />} />
                  <span data-testid="user-menu-name">{me.user.name}</span>
                  <DownOutlined />
                </Button>
              </Dropdown>
            </Flex>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ margin: 24 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
