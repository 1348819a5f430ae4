import { Badge, Button, Card, Flex, Table, Tabs, Tag, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { formatDateTime } from "../../components/format";
import { LoadError } from "../../components/StatusResults";
import { testId } from "../../components/test-id";
import { useMyFollowUps } from "./follow-ups-api";
import type { AgendaRow, FollowUpBucket } from "./follow-ups-api";

const BUCKETS: FollowUpBucket[] = ["today", "overdue", "upcoming"];
const BADGE_COLORS: Record<FollowUpBucket, string> = { today: "#1677ff", overdue: "#ff4d4f", upcoming: "#8c8c8c" };

/** Where a row opens: a customer's or contact's 360° page, the deal in its drawer, the lead's page. */
function recordLink(row: AgendaRow): string | null {
  switch (row.entity) {
    case "deal":
      return `/deals?deal=${row.recordId}`;
    case "lead":
      return `/leads/${row.recordId}`;
    case "customer":
      return `/customers/${row.recordId}`;
    default:
      return row.customerId ? `/customers/${row.customerId}` : null;
  }
}

function BucketTable({ bucket }: { bucket: FollowUpBucket }) {
  const { t } = useTranslation();
  const list = useMyFollowUps(bucket);
  const rows = list.data?.pages.flatMap((page) => page.data) ?? [];

  const columns: TableColumnsType<AgendaRow> = [
    {
      title: t("followUps.mine.record"),
      key: "name",
      render: (_value, row) => {
        const link = recordLink(row);
        return (
          <Flex gap={6} align="center">
            <Tag>{t(`followUps.mine.entity.${row.entity}`)}</Tag>
            {link ? (
              <Link to={link} data-testid="my-follow-up-link">
                {row.name}
              </Link>
            ) : (
              row.name
            )}
          </Flex>
        );
      },
    },
    {
      title: t("followUps.mine.customer"),
      dataIndex: "customerName",
      render: (name: string | null, row) => (row.entity === "customer" ? "—" : (name ?? "—")),
    },
    {
      title: t("followUps.nextFollowupAt"),
      dataIndex: "nextFollowupAt",
      render: (value: string | null) => (
        <Typography.Text type={bucket === "overdue" ? "danger" : undefined}>{formatDateTime(value)}</Typography.Text>
      ),
    },
    {
      title: t("followUps.mine.lastFollowup"),
      key: "last",
      render: (_value, row) => (
        <Flex vertical>
          <span>{formatDateTime(row.lastFollowupAt)}</span>
          {row.lastFollowupContent ? (
            <Typography.Text type="secondary" ellipsis={{ tooltip: row.lastFollowupContent }} style={{ maxWidth: 360 }}>
              {row.lastFollowupContent}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
  ];

  if (list.isError) {
    return <LoadError onRetry={() => void list.refetch()} />;
  }
  return (
    <Table<AgendaRow>
      rowKey={(row) => `${row.entity}:${row.recordId}`}
      columns={columns}
      dataSource={rows}
      loading={list.isPending}
      pagination={false}
      scroll={{ x: "max-content" }}
      data-testid={`my-follow-ups-table-${bucket}`}
      onRow={() => testId("my-follow-up-row")}
      locale={{ emptyText: t(`followUps.mine.empty.${bucket}`) }}
      footer={
        list.hasNextPage
          ? () => (
              <Flex justify="center">
                <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="my-follow-ups-load-more">
                  {t("common.loadMore")}
                </Button>
              </Flex>
            )
          : undefined
      }
    />
  );
}

/** 我的跟进: records I own that are due today, overdue, or coming up. */
export function MyFollowUpsPage() {
  const { t } = useTranslation();
  // The to-do center links here with ?bucket=today|overdue.
  const [params] = useSearchParams();
  const [bucket, setBucket] = useState<FollowUpBucket>(BUCKETS.find((b) => b === params.get("bucket")) ?? "today");
  // Every page answers the counts of all three buckets; the active tab's are the freshest.
  const active = useMyFollowUps(bucket);
  const counts = active.data?.pages[0]?.counts;

  return (
    <Card title={t("nav.followUps")} data-testid="my-follow-ups">
      <Tabs
        activeKey={bucket}
        onChange={(key) => setBucket(key as FollowUpBucket)}
        items={BUCKETS.map((key) => ({
          key,
          label: (
            <Flex gap={6} align="center" data-testid={`my-follow-ups-tab-${key}`}>
              {t(`followUps.mine.bucket.${key}`)}
              <Badge
                count={counts?.[key] ?? 0}
                showZero
                overflowCount={999}
                color={(counts?.[key] ?? 0) > 0 ? BADGE_COLORS[key] : "#bfbfbf"}
                data-testid={`my-follow-ups-count-${key}`}
              />
            </Flex>
          ),
          children: <BucketTable bucket={key} />,
        }))}
        destroyOnHidden
      />
    </Card>
  );
}
