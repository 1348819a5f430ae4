import { DownloadOutlined, InboxOutlined } from "@ant-design/icons";
import { Button, Flex, Radio, Spin, Typography, Upload } from "antd";
import { useTranslation } from "react-i18next";
import { useNotify } from "../../components/use-notify";
import { useImportableEntities } from "./import-entities";
import { templateFileUrl, useUploadImport } from "./imports-api";
import type { ImportEntity, ImportUpload } from "./imports-api";

const MAX_BYTES = 50 * 1024 * 1024;

/** Step 1: choose what to import (the entities the user may import) and drop a CSV or XLSX file; it is uploaded at once. */
export function UploadStep({
  entity,
  onEntityChange,
  onUploaded,
}: {
  entity: ImportEntity;
  onEntityChange: (entity: ImportEntity) => void;
  onUploaded: (upload: ImportUpload, fileName: string) => void;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const upload = useUploadImport();
  const entities = useImportableEntities();

  const accept = (file: File) => {
    if (!/\.(csv|xlsx)$/i.test(file.name)) {
      notify.failure(t("imports.upload.wrongType"));
      return;
    }
    if (file.size > MAX_BYTES) {
      notify.failure(t("imports.upload.tooLarge", { max: 50 }));
      return;
    }
    upload.mutate(
      { file, entity },
      {
        onSuccess: (result) => onUploaded(result, file.name),
        onError: (error) => notify.error(error),
      },
    );
  };

  return (
    <Flex vertical gap={16} data-testid="import-step-upload">
      <Flex align="center" gap={12} wrap>
        <Typography.Text strong>{t("imports.upload.entity")}</Typography.Text>
        <Radio.Group
          value={entity}
          onChange={(event) => onEntityChange(event.target.value as ImportEntity)}
          optionType="button"
          data-testid="import-entity"
          options={entities.map((value) => ({
            value,
            label: <span data-testid={`import-entity-${value}`}>{t(`imports.entity.${value}`, { defaultValue: value })}</span>,
          }))}
        />
      </Flex>
      <Typography.Text type="secondary" data-testid="import-entity-hint">
        {t(`imports.upload.entityHint.${entity}`, { defaultValue: "" })}
      </Typography.Text>
      <Flex align="center" gap={4} wrap data-testid="import-template">
        <Typography.Text>{t("imports.upload.template")}</Typography.Text>
        <Button type="link" size="small" icon={<DownloadOutlined />} href={templateFileUrl(entity, "xlsx")} data-testid="import-template-xlsx">
          {t("imports.upload.templateXlsx")}
        </Button>
        <Button type="link" size="small" icon={<DownloadOutlined />} href={templateFileUrl(entity, "csv")} data-testid="import-template-csv">
          {t("imports.upload.templateCsv")}
        </Button>
        <Typography.Text type="secondary">{t("imports.upload.templateHint")}</Typography.Text>
      </Flex>
      <Spin spinning={upload.isPending} description={t("imports.upload.uploading")}>
        <div data-testid="import-file">
          <Upload.Dragger
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            multiple={false}
            showUploadList={false}
            disabled={upload.isPending}
            beforeUpload={(file) => {
              accept(file);
              return false;
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t("imports.upload.drop")}</p>
            <p className="ant-upload-hint">{t("imports.upload.hint")}</p>
          </Upload.Dragger>
        </div>
      </Spin>
    </Flex>
  );
}
