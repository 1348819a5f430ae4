import { Button, Flex, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatDateTime } from "../../components/format";
import { LoadError } from "../../components/StatusResults";
import { STATUS_COLORS } from "./DealDrawer";
import { type DealListParams, useDealsList } from "./deals-api";
import { type Deal, formatAmount } from "./deals-types";

/** 商机列表: the same deals as the board, as a keyset-paged table (all statuses). */
export function DealList({ params, onOpen }: { params: DealListParams; onOpen: (deal: Deal) => void }) {
  const { t } = useTranslation();
  const list = useDealsList(params);
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);
  const total = list.data?.pages[0]?.total;
  if (list.isError) {
    return <LoadError onRetry={() => void list.refetch()} />;
  }
  const columns: ColumnsType<Deal> = [
    {
      key: "name",
      title: t("deals.field.name"),
      render: (_, deal) => (
        <Typography.Link onClick={() => onOpen(deal)} data-testid={`deal-row-${deal.id}`}>
          {deal.name}
        </Typography.Link>
      ),
    },
    { key: "customer", title: t("deals.field.customer"), render: (_, deal) => <Link to={`/customers/${deal.customerId}`}>{deal.customerName}</Link> },
    { key: "amount", title: t("deals.field.amount"), align: "right", render: (_, deal) => formatAmount(deal.amount) },
    { key: "stage", title: t("deals.field.stage"), render: (_, deal) => deal.stageName ?? "—" },
    { key: "status", title: t("deals.field.status"), render: (_, deal) => <Tag color={STATUS_COLORS[deal.status]}>{t(`deals.status.${deal.status}`)}</Tag> },
    { key: "close", title: t("deals.field.expectedCloseDate"), render: (_, deal) => deal.expectedCloseDate ?? "—" },
    { key: "owner", title: t("deals.field.owner"), render: (_, deal) => deal.ownerName ?? "—" },
    { key: "createdAt", title: t("deals.field.createdAt"), render: (_, deal) => formatDateTime(deal.createdAt) },
  ];
  return (
    <Flex vertical gap={8}>
      <Table<Deal> rowKey="id" size="small" loading={list.isPending} dataSource={rows} columns={columns} pagination={false} data-testid="deals-table" />
      <Flex justify="space-between" align="center">
        <Typography.Text type="secondary" data-testid="deals-total">
          {total !== undefined ? t("deals.total", { count: total }) : ""}
        </Typography.Text>
        {list.hasNextPage ? (
          <Button loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} data-testid="deals-more">
            {t("deals.loadMore")}
          </Button>
        ) : null}
      </Flex>
    </Flex>
  );
}
