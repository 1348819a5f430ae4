import { Alert, Button, Flex, Radio, Switch, Table, Tag, Tooltip, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { useState } from "react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { LoadError } from "../../components/StatusResults";
import { useNotify } from "../../components/use-notify";
import { importEntityInfo, useCanUpdateExisting } from "./import-entities";
import { targetLabel, useImportTargets } from "./import-fields";
import { useImportPreview, useStartImport } from "./imports-api";
import type { DuplicateMode, DuplicateRef, ImportEntity, ImportUpload, Mapping, PreviewRow, RowAction } from "./imports-api";

const MODES: DuplicateMode[] = ["skip", "update", "create"];
const ERROR_BG = "#fff2f0";

function cellValue(row: PreviewRow, field: string): string {
  const raw = row.values[field];
  if (raw === null || raw === undefined || raw === "") {
    return "";
  }
  if (Array.isArray(raw)) {
    return raw.map(String).join(", ");
  }
  return typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean" ? String(raw) : JSON.stringify(raw);
}

const ACTION_COLORS: Record<RowAction, string> = { create: "green", update: "blue", skip: "default", fail: "red" };

function DuplicateNote({ entity, duplicate, reasonLabel }: { entity: ImportEntity; duplicate: DuplicateRef; reasonLabel: string }) {
  const { t } = useTranslation();
  const recordPath = importEntityInfo(entity)?.recordPath;
  let target: ReactNode;
  if (duplicate.id === null) {
    target = t("imports.preview.duplicateRow", { row: duplicate.rowNumber ?? "?" });
  } else if (!duplicate.visible) {
    target = t("imports.preview.duplicateHidden");
  } else if (recordPath) {
    target = (
      <Link to={recordPath(duplicate.id)} target="_blank">
        {duplicate.name ?? duplicate.id}
      </Link>
    );
  } else {
    target = duplicate.name ?? duplicate.id;
  }
  return (
    <span>
      <Tag color="orange" data-testid="import-preview-duplicate">
        {t("imports.preview.duplicateOf", { reason: reasonLabel })}
      </Tag>
      {target}
    </span>
  );
}

/** Step 3: the first rows with their problems, and what to do with duplicates; then start. */
export function PreviewStep({
  entity,
  upload,
  mapping,
  duplicateMode,
  onDuplicateModeChange,
  onBack,
  onStarted,
}: {
  entity: ImportEntity;
  upload: ImportUpload;
  mapping: Mapping;
  duplicateMode: DuplicateMode;
  onDuplicateModeChange: (mode: DuplicateMode) => void;
  onBack: () => void;
  onStarted: () => void;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const targets = useImportTargets(entity, upload);
  const preview = useImportPreview(upload.id, mapping, duplicateMode);
  const start = useStartImport(upload.id);
  const [onlyErrors, setOnlyErrors] = useState(false);
  // "Update" changes existing records: offered only to those who may edit them (the server fails such rows otherwise).
  const mayUpdate = useCanUpdateExisting()(entity);
  const reasonLabel = (reason: string) => t(`duplicates.reason.${reason}`, { defaultValue: t("imports.preview.sameField", { field: targetLabel(targets, reason) }) });

  const mapped = Object.entries(mapping)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([column, field]) => ({ column: Number(column), field }))
    .sort((a, b) => a.column - b.column);

  const columns: TableColumnsType<PreviewRow> = [
    { title: "#", dataIndex: "rowNumber", width: 64, fixed: "start" },
    {
      title: t("imports.preview.action"),
      key: "action",
      width: 100,
      render: (_value, row) =>
        row.action ? (
          <Tag color={ACTION_COLORS[row.action]} data-testid="import-preview-action">
            {t(`imports.preview.actions.${row.action}`)}
          </Tag>
        ) : null,
    },
    ...mapped.map(({ column, field }) => ({
      title: targetLabel(targets, field),
      key: `${column}`,
      onCell: (row: PreviewRow) => ({
        style: row.errors.some((error) => error.field === field) ? { background: "#ffccc7" } : undefined,
      }),
      render: (_value: unknown, row: PreviewRow) => {
        const error = row.errors.find((item) => item.field === field);
        const text = cellValue(row, field);
        return error ? (
          <Tooltip title={error.message}>
            <Typography.Text type="danger" data-testid="import-preview-cell-error">
              {text || "—"}
            </Typography.Text>
          </Tooltip>
        ) : (
          text
        );
      },
    })),
    {
      title: t("imports.preview.problems"),
      key: "problems",
      render: (_value, row) => (
        <Flex vertical gap={2}>
          {row.errors.map((error, index) => (
            <Typography.Text key={index} type="danger" data-testid="import-preview-error">
              {targetLabel(targets, error.field)}: {error.message}
            </Typography.Text>
          ))}
          {row.duplicateOf ? <DuplicateNote entity={entity} duplicate={row.duplicateOf} reasonLabel={reasonLabel(row.duplicateOf.reason)} /> : null}
        </Flex>
      ),
    },
  ];

  const startImport = async () => {
    try {
      await start.mutateAsync({ mapping, duplicateMode });
      onStarted();
    } catch (error) {
      notify.error(error);
    }
  };

  const rows = (preview.data?.rows ?? []).filter((row) => !onlyErrors || row.errors.length > 0);

  return (
    <Flex vertical gap={16} data-testid="import-step-preview">
      <Flex gap={12} align="center" wrap>
        <Typography.Text strong>{t("imports.preview.duplicateMode")}</Typography.Text>
        <Radio.Group
          value={duplicateMode}
          onChange={(event) => onDuplicateModeChange(event.target.value as DuplicateMode)}
          data-testid="import-duplicate-mode"
          options={MODES.map((mode) => ({
            value: mode,
            disabled: mode === "update" && !mayUpdate,
            label: (
              <Tooltip title={mode === "update" && !mayUpdate ? t("imports.preview.updateNotAllowed") : t(`imports.preview.modeHint.${mode}`)}>
                <span data-testid={`import-duplicate-mode-${mode}`}>{t(`imports.preview.mode.${mode}`)}</span>
              </Tooltip>
            ),
          }))}
        />
        <Typography.Text type="secondary" data-testid="import-matched-by">
          {t(`imports.preview.matchedBy.${entity}`, { defaultValue: "" })}
        </Typography.Text>
      </Flex>
      {preview.isError ? <LoadError onRetry={() => void preview.refetch()} /> : null}
      {preview.data ? (
        <Flex gap={12} align="center" wrap>
          <Tag color="green" data-testid="import-preview-valid">
            {t("imports.preview.valid", { count: preview.data.validCount })}
          </Tag>
          <Tag color={preview.data.errorCount > 0 ? "red" : "default"} data-testid="import-preview-invalid">
            {t("imports.preview.invalid", { count: preview.data.errorCount })}
          </Tag>
          {preview.data.duplicateCount ? (
            <Tag color="orange" data-testid="import-preview-duplicates">
              {t("imports.preview.duplicates", { count: preview.data.duplicateCount })}
            </Tag>
          ) : null}
          {/* Only when the file holds more than the preview shows. */}
          {upload.rowCount === null || upload.rowCount > preview.data.rows.length ? (
            <Typography.Text type="secondary">{t("imports.preview.firstRows", { count: preview.data.rows.length })}</Typography.Text>
          ) : (
            <Typography.Text type="secondary">{t("imports.preview.allRows", { count: preview.data.rows.length })}</Typography.Text>
          )}
          <Flex gap={6} align="center">
            <Switch size="small" checked={onlyErrors} onChange={setOnlyErrors} data-testid="import-preview-only-errors" />
            <Typography.Text>{t("imports.preview.onlyErrors")}</Typography.Text>
          </Flex>
        </Flex>
      ) : null}
      {preview.data && preview.data.errorCount > 0 ? (
        <Alert type="info" showIcon title={t("imports.preview.errorsSkipped")} />
      ) : null}
      <Table<PreviewRow>
        rowKey="rowNumber"
        columns={columns}
        dataSource={rows}
        loading={preview.isFetching}
        pagination={false}
        size="small"
        scroll={{ x: "max-content", y: 420 }}
        onRow={(row) => ({
          style: row.errors.length > 0 ? { background: ERROR_BG } : undefined,
          ...({ "data-testid": "import-preview-row", "data-has-errors": String(row.errors.length > 0) } as object),
        })}
        data-testid="import-preview-table"
      />
      <Flex justify="space-between">
        <Button onClick={onBack} data-testid="import-back">
          {t("imports.back")}
        </Button>
        <Button
          type="primary"
          onClick={() => void startImport()}
          loading={start.isPending}
          disabled={!preview.data || preview.isFetching}
          data-testid="import-start"
        >
          {t("imports.preview.start")}
        </Button>
      </Flex>
    </Flex>
  );
}
