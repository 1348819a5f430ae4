import { DownloadOutlined } from "@ant-design/icons";
import { Button, Flex, Popconfirm, Progress, Result, Spin, Statistic, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { LoadError } from "../../components/StatusResults";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { importEntityInfo } from "./import-entities";
import { FINISHED, errorsFileUrl, useCancelImport, useImportJob } from "./imports-api";
import type { ImportJob } from "./imports-api";
import { runPercent } from "./run-progress";

/** Seconds → "1:05" or "1:02:05". */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

function Counts({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const items = [
    { key: "created", color: "#52c41a" },
    { key: "updated", color: "#1677ff" },
    { key: "skipped", color: "#8c8c8c" },
    { key: "failed", color: "#ff4d4f" },
  ] as const;
  return (
    <Flex gap={48} wrap justify="center" data-testid="import-result-counts">
      {items.map(({ key, color }) => (
        <Statistic
          key={key}
          title={t(`imports.result.${key}`)}
          value={job[key]}
          styles={{ content: { color } }}
          style={{ minWidth: 80, textAlign: "center" }}
          data-testid={`import-result-${key}`}
        />
      ))}
    </Flex>
  );
}

function ResultView({ job, onRestart }: { job: ImportJob; onRestart: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const status = job.status === "done" ? (job.failed > 0 ? "warning" : "success") : job.status === "cancelled" ? "info" : "error";
  return (
    <Result
      status={status}
      title={t(`imports.result.title.${job.status}`)}
      subTitle={job.error ?? t("imports.result.summary", { processed: job.processed, total: job.total ?? job.processed })}
      data-testid="import-result"
      extra={
        <Flex vertical gap={24} align="center">
          <Counts job={job} />
          <Flex gap={8} wrap justify="center">
            {job.failed > 0 ? (
              <Button icon={<DownloadOutlined />} href={errorsFileUrl(job.id)} data-testid="import-errors-download">
                {t("imports.result.downloadErrors")}
              </Button>
            ) : null}
            <Button type="primary" onClick={onRestart} data-testid="import-again">
              {t("imports.result.again")}
            </Button>
            <Button onClick={() => void navigate("/customers/imports")} data-testid="import-history-link">
              {t("imports.history.title")}
            </Button>
            <Button onClick={() => void navigate(importEntityInfo(job.entity)?.listPath ?? "/customers")} data-testid="import-to-list">
              {t(`imports.result.toList.${job.entity ?? "customer"}`, { defaultValue: t("imports.result.toCustomers") })}
            </Button>
          </Flex>
        </Flex>
      }
    />
  );
}

/** Steps 4–5: the live progress (polled every second), then the report. */
export function RunStep({ jobId, onRestart }: { jobId: string; onRestart: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const job = useImportJob(jobId);
  const cancel = useCancelImport(jobId);

  if (job.isPending) {
    return (
      <Flex justify="center" style={{ padding: 48 }}>
        <Spin />
      </Flex>
    );
  }
  if (job.isError) {
    return <LoadError onRetry={() => void job.refetch()} />;
  }
  const data = job.data;
  if (FINISHED.includes(data.status)) {
    return <ResultView job={data} onRestart={onRestart} />;
  }

  const cancelImport = async () => {
    try {
      await cancel.mutateAsync();
    } catch (error) {
      notify.error(error);
    }
  };

  return (
    <Flex vertical gap={16} data-testid="import-step-run" style={{ maxWidth: 720, margin: "24px auto", width: "100%" }}>
      <Flex justify="space-between" align="center">
        <Flex gap={8} align="center">
          <Tag color={data.status === "running" ? "processing" : "default"} data-testid="import-status">
            {t(`imports.status.${data.status}`)}
          </Tag>
          {data.stage ? (
            <Typography.Text type="secondary" data-testid="import-stage" data-stage={data.stage}>
              {t(`imports.run.stage.${data.stage}`)}
            </Typography.Text>
          ) : null}
        </Flex>
        <Typography.Text data-testid="import-processed">
          {data.stage === "indexing"
            ? t("imports.run.indexing", { indexed: data.indexed ?? 0, toIndex: data.toIndex ?? "?" })
            : t("imports.run.processed", { processed: data.processed, total: data.total ?? "?" })}
        </Typography.Text>
      </Flex>
      <Progress percent={runPercent(data)} status="active" data-testid="import-progress" />
      <Flex gap={24} wrap>
        <Typography.Text data-testid="import-speed">
          {t("imports.run.speed", { speed: data.rowsPerSecond === null ? "—" : Math.round(data.rowsPerSecond) })}
        </Typography.Text>
        <Typography.Text data-testid="import-eta">
          {t("imports.run.eta", { eta: data.etaSeconds === null ? "—" : formatDuration(data.etaSeconds) })}
        </Typography.Text>
        <Typography.Text type="secondary">
          {t("imports.run.sofar", { created: data.created, updated: data.updated, skipped: data.skipped, failed: data.failed })}
        </Typography.Text>
      </Flex>
      <Flex justify="end">
        <Popconfirm
          title={t("imports.run.confirmCancel")}
          okText={t("common.confirm")}
          cancelText={t("common.cancel")}
          okButtonProps={testId("confirm-ok")}
          onConfirm={() => cancelImport()}
        >
          <Button danger loading={cancel.isPending} data-testid="import-cancel">
            {t("imports.run.cancel")}
          </Button>
        </Popconfirm>
      </Flex>
    </Flex>
  );
}
