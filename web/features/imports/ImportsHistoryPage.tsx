import { DownloadOutlined, UploadOutlined } from "@ant-design/icons";
import { Button, Card, Flex, Progress, Table, Tag, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { formatDateTime } from "../../components/format";
import { LoadError } from "../../components/StatusResults";
import { errorsFileUrl, useImportsList } from "./imports-api";
import type { ImportJob, ImportStatus } from "./imports-api";

const STATUS_COLORS: Record<ImportStatus, string> = {
  uploaded: "default",
  queued: "default",
  running: "processing",
  done: "success",
  failed: "error",
  cancelled: "warning",
};

/** My imports, newest first, with their outcome and the errors file. */
export function ImportsHistoryPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = useImportsList();
  const rows = list.data?.pages.flatMap((page) => page.data) ?? [];

  const columns: TableColumnsType<ImportJob> = [
    {
      title: t("imports.history.when"),
      key: "when",
      render: (_value, job) => formatDateTime(job.createdAt ?? job.startedAt),
    },
    {
      title: t("imports.history.file"),
      key: "file",
      render: (_value, job) => (
        <Flex vertical>
          <Typography.Text>{job.fileName ?? "—"}</Typography.Text>
          {job.entity ? <Typography.Text type="secondary">{t(`imports.entity.${job.entity}`)}</Typography.Text> : null}
        </Flex>
      ),
    },
    {
      title: t("imports.history.status"),
      dataIndex: "status",
      render: (status: ImportStatus, job) =>
        status === "running" && job.total ? (
          <Progress percent={Math.floor((job.processed / job.total) * 100)} size="small" style={{ width: 120 }} />
        ) : (
          <Tag color={STATUS_COLORS[status]} data-testid="import-history-status">
            {t(`imports.status.${status}`)}
          </Tag>
        ),
    },
    { title: t("imports.history.total"), dataIndex: "total", render: (value: number | null) => value ?? "—" },
    { title: t("imports.result.created"), dataIndex: "created" },
    { title: t("imports.result.updated"), dataIndex: "updated" },
    { title: t("imports.result.skipped"), dataIndex: "skipped" },
    {
      title: t("imports.result.failed"),
      dataIndex: "failed",
      render: (value: number) => <Typography.Text type={value > 0 ? "danger" : undefined}>{value}</Typography.Text>,
    },
    {
      title: t("common.actions"),
      key: "actions",
      render: (_value, job) => (
        <Flex gap={0} wrap>
          {job.status !== "uploaded" ? (
            <Link to={`/customers/import?id=${job.id}`} data-testid="import-history-open" style={{ padding: "0 7px" }}>
              {t("common.view")}
            </Link>
          ) : null}
          {job.failed > 0 ? (
            <Button type="link" size="small" icon={<DownloadOutlined />} href={errorsFileUrl(job.id)} data-testid="import-history-errors">
              {t("imports.result.downloadErrors")}
            </Button>
          ) : null}
        </Flex>
      ),
    },
  ];

  return (
    <Card
      title={t("imports.history.title")}
      data-testid="imports-history"
      extra={
        <Button type="primary" icon={<UploadOutlined />} onClick={() => void navigate("/customers/import")} data-testid="imports-new">
          {t("imports.newImport")}
        </Button>
      }
    >
      {list.isError ? (
        <LoadError onRetry={() => void list.refetch()} />
      ) : (
        <Table<ImportJob>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={list.isPending}
          pagination={false}
          scroll={{ x: "max-content" }}
          data-testid="imports-history-table"
          footer={
            list.hasNextPage
              ? () => (
                  <Flex justify="center">
                    <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
                      {t("common.loadMore")}
                    </Button>
                  </Flex>
                )
              : undefined
          }
        />
      )}
    </Card>
  );
}
