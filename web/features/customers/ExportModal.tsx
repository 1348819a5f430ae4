import { Alert, Button, Modal, Progress, Radio, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { useExportStatus, useStartExport } from "./customers-api";
import type { ListFilters } from "./customer-types";

interface ExportModalProps {
  /** Which list is exported (customers by default). */
  entity?: "customer" | "contact";
  filter: ListFilters;
  ids?: string[];
  columns: string[];
  count: string;
  onClose: () => void;
}

/** Starts an export job (POST /exports), follows its progress and offers the file. */
export function ExportModal({ entity = "customer", filter, ids, columns, count, onClose }: ExportModalProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [format, setFormat] = useState<"csv" | "xlsx">("xlsx");
  const [jobId, setJobId] = useState<string | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const start = useStartExport(entity);
  const status = useExportStatus(jobId);

  const run = async () => {
    try {
      const job = await start.mutateAsync({ format, filter, ...(ids ? { ids } : {}), columns });
      if (job === null) {
        setUnavailable(true);
      } else {
        setJobId(job.id);
      }
    } catch (error) {
      notify.error(error);
    }
  };

  const job = status.data;
  const done = job?.status === "done";
  const failed = job?.status === "failed" || job?.status === "cancelled";
  const percent = job?.total ? Math.min(100, Math.round((job.processed / job.total) * 100)) : done ? 100 : 0;

  return (
    <Modal
      open
      title={t(entity === "contact" ? "contacts.export.title" : "customers.export.title")}
      onCancel={onClose}
      footer={
        jobId || unavailable ? (
          <Button onClick={onClose} data-testid="export-close">
            {t("customers.export.close")}
          </Button>
        ) : (
          <Space>
            <Button onClick={onClose}>{t("common.cancel")}</Button>
            <Button type="primary" loading={start.isPending} onClick={() => void run()} {...testId("export-start")}>
              {t("customers.export.start")}
            </Button>
          </Space>
        )
      }
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: "100%" }} data-testid="export-modal">
        <Typography.Text>{t("customers.export.scope", { count })}</Typography.Text>
        {!jobId && !unavailable ? (
          <Radio.Group value={format} onChange={(event) => setFormat(event.target.value as "csv" | "xlsx")} data-testid="export-format">
            <Radio value="xlsx">Excel (.xlsx)</Radio>
            <Radio value="csv">CSV</Radio>
          </Radio.Group>
        ) : null}
        {unavailable ? <Alert type="warning" showIcon title={t("customers.export.unavailable")} data-testid="export-unavailable" /> : null}
        {jobId ? (
          <>
            <Progress percent={percent} status={failed ? "exception" : done ? "success" : "active"} data-testid="export-progress" />
            {job?.total !== null && job?.total !== undefined ? (
              <Typography.Text type="secondary">{t("customers.export.progress", { processed: job.processed, total: job.total })}</Typography.Text>
            ) : null}
            {failed ? <Alert type="error" showIcon title={t("customers.export.failed")} /> : null}
            {done ? (
              <Button type="primary" href={`/api/v1/exports/${jobId}/download`} data-testid="export-download">
                {t("customers.export.download")}
              </Button>
            ) : null}
          </>
        ) : null}
      </Space>
    </Modal>
  );
}
