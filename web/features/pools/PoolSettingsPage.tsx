import { DeleteOutlined, EditOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Card, Flex, Popconfirm, Space, Table, Tag, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { type HTMLAttributes, useState } from "react";
import { useTranslation } from "react-i18next";
import { useCan } from "../../app/session";
import { LoadError } from "../../components/StatusResults";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { OwnershipLimitsCard } from "./OwnershipLimitsCard";
import { PoolFormModal } from "./PoolFormModal";
import { RecycleRunsCard } from "./RecycleRunsCard";
import { useDeletePool, usePools } from "./pools-api";
import type { Pool } from "./pools-types";

/** Pool settings for admins: pools (members, admins, quota, cool-down, recycling rules) and ownership limits. */
export function PoolSettingsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const notify = useNotify();
  const pools = usePools();
  const remove = useDeletePool();
  const [editing, setEditing] = useState<Pool | "new" | null>(null);

  const columns: TableColumnsType<Pool> = [
    {
      title: t("pools.settings.name"),
      dataIndex: "name",
      render: (name: string, row) => (
        <Space>
          <span data-testid="pool-settings-row-name">{name}</span>
          {row.isDefault ? <Tag>{t("pools.settings.default")}</Tag> : null}
        </Space>
      ),
    },
    {
      title: t("pools.settings.people"),
      key: "members",
      render: (_v, row) =>
        row.allUsers ? t("pools.settings.allUsers") : row.members.map((m) => m.name ?? m.id).join(", ") || "—",
    },
    { title: t("pools.settings.admins"), key: "admins", render: (_v, row) => row.admins.map((a) => a.name ?? a.id).join(", ") || "—" },
    { title: t("pools.settings.claimDailyLimit"), dataIndex: "claimDailyLimit", width: 110, render: (v: number | null) => v ?? t("pools.unlimited") },
    { title: t("pools.settings.cooldownDays"), dataIndex: "cooldownDays", width: 110, render: (v: number | null) => v ?? "—" },
    {
      title: t("pools.settings.recycling"),
      key: "recycling",
      width: 160,
      render: (_v, row) => (row.recycleEnabled ? <Tag color="orange">{t("pools.settings.rulesCount", { count: row.rules.length })}</Tag> : <Tag>{t("pools.settings.off")}</Tag>),
    },
    { title: t("pools.settings.customers"), dataIndex: "customerCount", width: 100, align: "right" },
    {
      title: t("common.actions"),
      key: "actions",
      width: 140,
      render: (_v, row) => (
        <Space size={0}>
          {row.canManage ? (
            <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(row)} data-testid="pool-settings-edit">
              {t("common.edit")}
            </Button>
          ) : null}
          {!row.isDefault && can("pool:delete") ? (
            <Popconfirm
              title={t("pools.settings.confirmDelete", { name: row.name })}
              okText={t("common.delete")}
              cancelText={t("common.cancel")}
              okButtonProps={{ danger: true, ...testId("confirm-ok") }}
              onConfirm={async () => {
                try {
                  await remove.mutateAsync(row.id);
                } catch (error) {
                  notify.error(error);
                }
              }}
            >
              <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t("common.delete")} data-testid="pool-settings-delete" />
            </Popconfirm>
          ) : null}
        </Space>
      ),
    },
  ];

  if (pools.isError) {
    return <LoadError onRetry={() => void pools.refetch()} />;
  }
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("pools.settings.title")}
        </Typography.Title>
        {can("pool:create") ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="pool-settings-create">
            {t("pools.settings.create")}
          </Button>
        ) : null}
      </Flex>
      <Card>
        <Table<Pool>
          rowKey="id"
          columns={columns}
          dataSource={pools.data?.data ?? []}
          loading={pools.isLoading}
          pagination={false}
          onRow={() => ({ "data-testid": "pool-settings-row" }) as HTMLAttributes<HTMLElement>}
        />
      </Card>
      {can("pool:edit") ? <RecycleRunsCard /> : null}
      {can("pool:edit") ? <OwnershipLimitsCard /> : null}
      {editing ? <PoolFormModal pool={editing === "new" ? null : editing} onClose={() => setEditing(null)} /> : null}
    </Flex>
  );
}
