import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Popconfirm, Space, Table, Tag } from "antd";
import type { TableColumnsType } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import type { RoleSummary } from "../../app/api-types";
import { useCan } from "../../app/session";
import { LoadError } from "../../components/StatusResults";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { useDeleteRole, useRoles } from "./roles-api";

/** The built-in administrator role cannot be deleted (the server answers role_protected). */
const PROTECTED_ROLE_KEY = "admin";

export function RolesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const notify = useNotify();
  const roles = useRoles();
  const remove = useDeleteRole();

  const deleteRole = async (role: RoleSummary) => {
    try {
      await remove.mutateAsync(role.id);
      notify.success(t("roles.deleted"));
    } catch (error) {
      notify.error(error);
    }
  };

  const columns: TableColumnsType<RoleSummary> = [
    {
      title: t("roles.name"),
      dataIndex: "name",
      render: (name: string, role) => (
        <Link to={`/settings/roles/${role.id}`} data-testid="role-link">
          {name}
        </Link>
      ),
    },
    { title: t("roles.description"), dataIndex: "description", render: (value: string | null) => value ?? "—" },
    {
      title: t("roles.type"),
      dataIndex: "isSystem",
      render: (isSystem: boolean) =>
        isSystem ? <Tag color="blue">{t("roles.system")}</Tag> : <Tag>{t("roles.custom")}</Tag>,
    },
    { title: t("roles.userCount"), dataIndex: "userCount", align: "right" },
    {
      title: t("common.actions"),
      key: "actions",
      render: (_value, role) => (
        <Space size={0}>
          <Button type="link" size="small" data-testid="role-edit" onClick={() => void navigate(`/settings/roles/${role.id}`)}>
            {can("role:edit") ? t("common.edit") : t("common.view")}
          </Button>
          {can("role:delete") && role.key !== PROTECTED_ROLE_KEY ? (
            <Popconfirm
              title={t("roles.confirmDelete", { name: role.name })}
              okText={t("common.delete")}
              cancelText={t("common.cancel")}
              okButtonProps={{ danger: true, ...testId("confirm-ok") }}
              onConfirm={() => deleteRole(role)}
              destroyOnHidden
            >
              <Button type="link" size="small" danger data-testid="role-delete">
                {t("common.delete")}
              </Button>
            </Popconfirm>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <Card
      title={t("nav.roles")}
      extra={
        can("role:create") ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="roles-create"
            onClick={() => void navigate("/settings/roles/new")}
          >
            {t("roles.create")}
          </Button>
        ) : null
      }
    >
      {roles.isError ? (
        <LoadError onRetry={() => void roles.refetch()} />
      ) : (
        <Table<RoleSummary>
          rowKey="id"
          columns={columns}
          dataSource={roles.data ?? []}
          loading={roles.isPending}
          pagination={false}
          data-testid="roles-table"
        />
      )}
    </Card>
  );
}
