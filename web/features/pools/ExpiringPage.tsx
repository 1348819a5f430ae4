import { Alert, Button, Empty, Flex, Table, Tag, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { type HTMLAttributes, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { LoadError } from "../../components/StatusResults";
import { formatDateTime } from "../../components/format";
import { usePicklistLabel } from "../customer-360/picklist-label";
import { useExpiring } from "./pools-api";
import type { ExpiringCustomer } from "./pools-types";
import { ReleaseModal } from "./ReleaseModal";

/** My customers the daily job will take back to a pool soon (the 待办 "about to be recycled" list). */
export function ExpiringPage() {
  const { t } = useTranslation();
  const expiring = useExpiring();
  const levelLabel = usePicklistLabel("customer.level");
  const [selected, setSelected] = useState<string[]>([]);
  const [releasing, setReleasing] = useState(false);

  const columns: TableColumnsType<ExpiringCustomer> = [
    {
      title: t("pools.columns.name"),
      dataIndex: "name",
      render: (name: string, row) => (
        <Link to={`/customers/${row.id}`} data-testid="expiring-row-name">
          {name}
        </Link>
      ),
    },
    { title: t("pools.columns.level"), dataIndex: "level", width: 100, render: (v: string | null) => levelLabel(v) },
    { title: t("pools.expiring.pool"), dataIndex: "poolName", width: 160 },
    {
      title: t("pools.expiring.rule"),
      key: "rule",
      width: 220,
      render: (_v, row) => <Tag color="orange">{t(`pools.rules.kind.${row.rule}`, { days: row.days })}</Tag>,
    },
    {
      title: t("pools.expiring.recycleAt"),
      dataIndex: "recycleAt",
      width: 180,
      defaultSortOrder: "ascend",
      sorter: (a, b) => a.recycleAt.localeCompare(b.recycleAt),
      render: (v: string) => <span data-testid="expiring-recycle-at">{formatDateTime(v)}</span>,
    },
  ];

  if (expiring.isError) {
    return <LoadError onRetry={() => void expiring.refetch()} />;
  }
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("pools.expiring.title")}
        </Typography.Title>
        {selected.length > 0 ? (
          <Button onClick={() => setReleasing(true)} data-testid="expiring-release">
            {t("pools.release.button")} ({selected.length})
          </Button>
        ) : null}
      </Flex>
      <Alert type="info" showIcon message={t("pools.expiring.hint")} />
      <Table<ExpiringCustomer>
        rowKey="id"
        columns={columns}
        dataSource={expiring.data?.data ?? []}
        loading={expiring.isLoading}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) }}
        onRow={() => ({ "data-testid": "expiring-row" }) as HTMLAttributes<HTMLElement>}
        locale={{ emptyText: <Empty description={t("pools.expiring.empty")} /> }}
        data-testid="expiring-table"
      />
      {releasing ? (
        <ReleaseModal customerIds={selected} onClose={() => setReleasing(false)} onDone={(done) => setSelected((s) => s.filter((id) => !done.includes(id)))} />
      ) : null}
    </Flex>
  );
}
