import { PlayCircleOutlined } from "@ant-design/icons";
import { Button, Card, Space, Table, Tag, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { type HTMLAttributes, useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../components/format";
import { LoadError } from "../../components/StatusResults";
import { useNotify } from "../../components/use-notify";
import { useInvalidatePools, useRecycleRuns, useStartRecycleRun } from "./pools-api";
import type { RecycleRun } from "./pools-types";

const statusColor: Record<RecycleRun["status"], string> = { queued: "default", running: "processing", done: "success", failed: "error", cancelled: "default" };

/**
 * Pool settings: the recycling job's recent runs (nightly at 02:00, or started here) with what each
 * took back per rule, and "Run now" — e.g. right after changing the rules. One run at a time.
 */
export function RecycleRunsCard() {
  const { t } = useTranslation();
  const notify = useNotify();
  const runs = useRecycleRuns();
  const start = useStartRecycleRun();
  const invalidatePools = useInvalidatePools();
  const rows = runs.data?.data ?? [];
  const active = rows.some((r) => r.status === "queued" || r.status === "running");

  // When a run ends, the pools' counts, customer lists and to-dos have changed.
  const wasActive = useRef(false);
  useEffect(() => {
    if (wasActive.current && !active) {
      void invalidatePools();
    }
    wasActive.current = active;
  }, [active, invalidatePools]);

  const columns: TableColumnsType<RecycleRun> = [
    { title: t("pools.runs.requestedAt"), dataIndex: "createdAt", render: (v: string) => formatDateTime(v) },
    {
      title: t("pools.runs.trigger"),
      key: "trigger",
      render: (_v, row) => (row.trigger === "manual" ? t("pools.runs.manual", { name: row.requestedBy?.name ?? "—" }) : t("pools.runs.schedule")),
    },
    {
      title: t("pools.runs.status"),
      dataIndex: "status",
      render: (status: RecycleRun["status"]) => (
        <Tag color={statusColor[status]} data-testid="recycle-run-status">
          {t(`pools.runs.statuses.${status}`)}
        </Tag>
      ),
    },
    { title: t("pools.runs.finishedAt"), dataIndex: "finishedAt", render: (v: string | null) => (v ? formatDateTime(v) : "—") },
    {
      title: t("pools.runs.recycled"),
      key: "recycled",
      align: "right",
      render: (_v, row) => <span data-testid="recycle-run-count">{row.recycled ?? "—"}</span>,
    },
    {
      title: t("pools.runs.byRule"),
      key: "byRule",
      render: (_v, row) =>
        row.error ? (
          <Typography.Text type="danger">{row.error}</Typography.Text>
        ) : (
          <Space size={4} wrap>
            {Object.entries(row.byRule).map(([rule, count]) => (
              <Tag key={rule}>{`${t(`pools.runs.rules.${rule}`, { defaultValue: rule })}: ${count}`}</Tag>
            ))}
          </Space>
        ),
    },
  ];

  return (
    <Card
      title={t("pools.runs.title")}
      data-testid="recycle-runs"
      extra={
        <Button
          icon={<PlayCircleOutlined />}
          loading={start.isPending}
          disabled={active}
          data-testid="recycle-run-now"
          onClick={async () => {
            try {
              await start.mutateAsync();
              notify.success(t("pools.runs.started"));
            } catch (error) {
              notify.error(error);
            }
          }}
        >
          {active ? t("pools.runs.running") : t("pools.runs.runNow")}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t("pools.runs.hint")}</Typography.Paragraph>
      {runs.isError ? (
        <LoadError onRetry={() => void runs.refetch()} />
      ) : (
        <Table<RecycleRun>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={rows}
          loading={runs.isLoading}
          pagination={false}
          locale={{ emptyText: t("pools.runs.empty") }}
          onRow={() => ({ "data-testid": "recycle-run-row" }) as HTMLAttributes<HTMLElement>}
        />
      )}
    </Card>
  );
}
