import { useMutation, useQuery } from "@tanstack/react-query";
import { Alert, Button, Modal, Progress, Radio, Space } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../app/api";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";

interface ExportStatus {
  id: string;
  status: string;
  total: number | null;
  processed: number;
}

/** Exports a filtered list (POST /exports {entity}), follows the job and offers the file. Deals, products, contracts, payments, leads and follow-up records use it. */
export function EntityExportModal({
  entity,
  filter,
  title,
  onClose,
}: {
  entity: "deal" | "product" | "contract" | "payment" | "lead" | "followUp";
  filter: Record<string, string>;
  /** The modal's title (default: "Export"). */
  title?: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [format, setFormat] = useState<"csv" | "xlsx">("xlsx");
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useMutation({ mutationFn: () => api.post<{ id: string }>("/exports", { entity, format, filter }) });
  const status = useQuery({
    queryKey: ["exports", jobId],
    queryFn: () => api.get<ExportStatus>(`/exports/${jobId ?? ""}`),
    enabled: jobId !== null,
    refetchInterval: (query) => (["done", "failed", "cancelled"].includes(query.state.data?.status ?? "") ? false : 1000),
  });
  const job = status.data;
  const done = job?.status === "done";
  const failed = job?.status === "failed" || job?.status === "cancelled";
  const percent = job?.total ? Math.min(100, Math.round((job.processed / job.total) * 100)) : done ? 100 : 0;
  return (
    <Modal
      open
      title={title ?? t("deals.export.title")}
      onCancel={onClose}
      destroyOnHidden
      footer={
        jobId ? (
          <Button onClick={onClose} data-testid="export-close">
            {t("deals.export.close")}
          </Button>
        ) : (
          <Space>
            <Button onClick={onClose}>{t("common.cancel")}</Button>
            <Button
              type="primary"
              loading={start.isPending}
              onClick={() => start.mutate(undefined, { onSuccess: (created) => setJobId(created.id), onError: (error) => notify.error(error) })}
              {...testId("export-start")}
            >
              {t("deals.export.start")}
            </Button>
          </Space>
        )
      }
    >
      <Space orientation="vertical" style={{ width: "100%" }} data-testid="export-modal">
        {jobId ? (
          <>
            <Progress percent={percent} status={failed ? "exception" : done ? "success" : "active"} data-testid="export-progress" />
            {failed ? <Alert type="error" showIcon title={t("deals.export.failed")} /> : null}
            {done ? (
              <Button type="primary" href={`/api/v1/exports/${jobId}/download`} data-testid="export-download">
                {t("deals.export.download")}
              </Button>
            ) : null}
          </>
        ) : (
          <Radio.Group value={format} onChange={(event) => setFormat(event.target.value as "csv" | "xlsx")} data-testid="export-format">
            <Radio value="xlsx">Excel (.xlsx)</Radio>
            <Radio value="csv">CSV</Radio>
          </Radio.Group>
        )}
      </Space>
    </Modal>
  );
}
