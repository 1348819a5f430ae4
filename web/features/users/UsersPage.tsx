import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Flex, Input, Popconfirm, Select, Space, Table, Tag, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { User, UserStatus } from "../../app/api-types";
import { useCan, useFieldRules, useSession } from "../../app/session";
import { formatDateTime } from "../../components/format";
import { LoadError } from "../../components/StatusResults";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { ResetPasswordModal } from "./ResetPasswordModal";
import { UserFormModal } from "./UserFormModal";
import { useSetUserStatus, useUsersList } from "./users-api";

type Editing = { kind: "create" } | { kind: "edit"; user: User } | null;

export function UsersPage() {
  const { t } = useTranslation();
  const me = useSession();
  const can = useCan();
  const fieldRule = useFieldRules("user");
  const notify = useNotify();
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const [status, setStatus] = useState<UserStatus | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const list = useUsersList({ q, status });
  const setUserStatus = useSetUserStatus();

  const rows = list.data?.pages.flatMap((page) => page.data) ?? [];
  const canEdit = can("user:edit");
  const canDelete = can("user:delete");
  const visible = (field: string) => fieldRule(field).access !== "hidden";

  const toggleStatus = async (user: User) => {
    const active = user.status !== "active";
    try {
      await setUserStatus.mutateAsync({ id: user.id, active });
      notify.success(active ? t("users.activated") : t("users.deactivated"));
    } catch (error) {
      notify.error(error);
    }
  };

  const columns: TableColumnsType<User> = [
    {
      title: t("field.user.name"),
      dataIndex: "name",
      render: (name: string) => <Typography.Text strong>{name}</Typography.Text>,
    },
    ...(visible("email") ? [{ title: t("field.user.email"), dataIndex: "email" }] : []),
    ...(visible("phone")
      ? [{ title: t("field.user.phone"), dataIndex: "phone", render: (phone: string | null) => phone ?? "—" }]
      : []),
    ...(visible("department")
      ? [
          {
            title: t("field.user.department"),
            dataIndex: "departmentName",
            render: (name: string | null) => name ?? "—",
          },
        ]
      : []),
    ...(visible("manager")
      ? [{ title: t("field.user.manager"), dataIndex: "managerName", render: (name: string | null) => name ?? "—" }]
      : []),
    ...(visible("roles")
      ? [
          {
            title: t("field.user.roles"),
            dataIndex: "roleNames",
            render: (names: string[]) => names.map((name) => <Tag key={name}>{name}</Tag>),
          },
        ]
      : []),
    {
      title: t("users.status"),
      dataIndex: "status",
      render: (value: UserStatus) => (
        <Tag color={value === "active" ? "green" : "default"} data-testid="user-status">
          {t(`users.statusValue.${value}`)}
        </Tag>
      ),
    },
    {
      title: t("users.lastLogin"),
      dataIndex: "lastLoginAt",
      render: (value: string | null) => formatDateTime(value),
    },
  ];

  if (canEdit || canDelete) {
    columns.push({
      title: t("common.actions"),
      key: "actions",
      render: (_value, user) => (
        <Space size={0} wrap>
          {canEdit ? (
            <Button type="link" size="small" data-testid="user-edit" onClick={() => setEditing({ kind: "edit", user })}>
              {t("common.edit")}
            </Button>
          ) : null}
          {canEdit ? (
            <Button type="link" size="small" data-testid="user-reset-password" onClick={() => setResetting(user)}>
              {t("users.resetPassword")}
            </Button>
          ) : null}
          {canDelete && user.id !== me.user.id ? (
            <Popconfirm
              title={user.status === "active" ? t("users.confirmDeactivate", { name: user.name }) : t("users.confirmActivate", { name: user.name })}
              okText={t("common.confirm")}
              cancelText={t("common.cancel")}
              okButtonProps={testId("confirm-ok")}
              onConfirm={() => toggleStatus(user)}
              destroyOnHidden
            >
              <Button
                type="link"
                size="small"
                danger={user.status === "active"}
                data-testid={user.status === "active" ? "user-deactivate" : "user-activate"}
              >
                {user.status === "active" ? t("users.deactivate") : t("users.activate")}
              </Button>
            </Popconfirm>
          ) : null}
        </Space>
      ),
    });
  }

  return (
    <Card
      title={t("nav.users")}
      extra={
        can("user:create") ? (
          <Button type="primary" icon={<PlusOutlined />} data-testid="users-create" onClick={() => setEditing({ kind: "create" })}>
            {t("users.create")}
          </Button>
        ) : null
      }
    >
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          onSearch={(value) => setQ(value.trim())}
          placeholder={t("users.searchPlaceholder")}
          style={{ width: 280 }}
          data-testid="users-search"
        />
        <Select<UserStatus | "any">
          value={status ?? "any"}
          onChange={(value) => setStatus(value === "any" ? null : value)}
          style={{ width: 160 }}
          data-testid="users-status-filter"
          options={[
            { value: "any", label: t("users.statusAny") },
            { value: "active", label: t("users.statusValue.active") },
            { value: "inactive", label: t("users.statusValue.inactive") },
          ]}
        />
      </Flex>
      {list.isError ? (
        <LoadError onRetry={() => void list.refetch()} />
      ) : (
        <Table<User>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={list.isPending}
          pagination={false}
          scroll={{ x: "max-content" }}
          data-testid="users-table"
          footer={
            list.hasNextPage
              ? () => (
                  <Flex justify="center">
                    <Button
                      onClick={() => void list.fetchNextPage()}
                      loading={list.isFetchingNextPage}
                      data-testid="users-load-more"
                    >
                      {t("common.loadMore")}
                    </Button>
                  </Flex>
                )
              : undefined
          }
        />
      )}
      {editing ? (
        <UserFormModal
          key={editing.kind === "edit" ? editing.user.id : "new"}
          user={editing.kind === "edit" ? editing.user : null}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {resetting ? <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} /> : null}
    </Card>
  );
}
