import { MergeCellsOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Flex, Spin, Table, Tag, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatDateTime } from "../../components/format";
import { LoadError } from "../../components/StatusResults";
import type { Customer } from "../customer-360/customer-360-types";
import { useDuplicateGroups } from "./duplicates-api";
import type { DuplicateGroup } from "./duplicates-api";
import { MergeDialog } from "./MergeDialog";

const REASON_COLORS: Record<string, string> = { name: "blue", phone: "green", email: "purple" };

function GroupCard({ group, onMerge }: { group: DuplicateGroup; onMerge: () => void }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<Customer> = [
    {
      title: t("customer360.field.name"),
      dataIndex: "name",
      render: (name: string, customer) => (
        <Link to={`/customers/${customer.id}`} data-testid="duplicate-customer-link">
          {name}
        </Link>
      ),
    },
    { title: t("customer360.field.phone"), dataIndex: "phone", render: (value?: string | null) => value ?? "—" },
    { title: t("customer360.field.email"), dataIndex: "email", render: (value?: string | null) => value ?? "—" },
    { title: t("customer360.field.owner"), dataIndex: "ownerName", render: (value?: string | null) => value ?? "—" },
    { title: t("customer360.field.lastFollowupAt"), dataIndex: "lastFollowupAt", render: (value: string | null) => formatDateTime(value) },
    { title: t("customer360.field.createdAt"), dataIndex: "createdAt", render: (value: string) => formatDateTime(value) },
  ];
  return (
    <Card
      size="small"
      data-testid="duplicate-group"
      data-key={group.key}
      title={
        <Flex gap={8} align="center">
          <Tag color={REASON_COLORS[group.reason] ?? "default"} data-testid="duplicate-reason">
            {t(`duplicates.reason.${group.reason}`, { defaultValue: group.reason })}
          </Tag>
          <Typography.Text>{group.key}</Typography.Text>
          <Typography.Text type="secondary">{t("duplicates.groupSize", { count: group.count ?? group.customers.length })}</Typography.Text>
        </Flex>
      }
      extra={
        <Button
          size="small"
          icon={<MergeCellsOutlined />}
          onClick={onMerge}
          disabled={group.customers.length < 2}
          data-testid="duplicate-merge"
        >
          {t("duplicates.merge.button")}
        </Button>
      }
    >
      <Table<Customer> rowKey="id" columns={columns} dataSource={group.customers} pagination={false} size="small" scroll={{ x: "max-content" }} />
    </Card>
  );
}

/** 查重: groups of customers that share a name, phone or email, each one click from a merge. */
export function DuplicatesPage() {
  const { t } = useTranslation();
  const groups = useDuplicateGroups();
  const [merging, setMerging] = useState<DuplicateGroup | null>(null);
  const rows = groups.data?.pages.flatMap((page) => page.data) ?? [];

  const body = () => {
    if (groups.isError) {
      return <LoadError onRetry={() => void groups.refetch()} />;
    }
    if (groups.isPending) {
      return (
        <Flex justify="center" style={{ padding: 48 }}>
          <Spin />
        </Flex>
      );
    }
    if (rows.length === 0) {
      return <Empty description={t("duplicates.none")} data-testid="duplicates-empty" />;
    }
    return (
      <Flex vertical gap={12}>
        {rows.map((group) => (
          <GroupCard key={`${group.reason}:${group.key}`} group={group} onMerge={() => setMerging(group)} />
        ))}
        {groups.hasNextPage ? (
          <Flex justify="center">
            <Button onClick={() => void groups.fetchNextPage()} loading={groups.isFetchingNextPage} data-testid="duplicates-load-more">
              {t("common.loadMore")}
            </Button>
          </Flex>
        ) : null}
      </Flex>
    );
  };

  return (
    <Card title={t("duplicates.title")} data-testid="duplicates-page">
      <Typography.Paragraph type="secondary">{t("duplicates.intro")}</Typography.Paragraph>
      {body()}
      {merging ? (
        <MergeDialog
          key={`${merging.reason}:${merging.key}`}
          customers={merging.customers}
          onClose={() => setMerging(null)}
          onMerged={() => setMerging(null)}
        />
      ) : null}
    </Card>
  );
}
