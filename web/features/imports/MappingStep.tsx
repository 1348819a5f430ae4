import { Alert, Button, Flex, Select, Table, Tag, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { useTranslation } from "react-i18next";
import type { ImportColumn, ImportEntity, ImportUpload, Mapping } from "./imports-api";
import { requiredFields, targetLabel, useImportTargets } from "./import-fields";

const IGNORE = "__ignore";

function sampleText(values: unknown[]): string {
  return values
    .filter((value) => value !== null && value !== undefined && value !== "")
    .slice(0, 3)
    .map((value) => (typeof value === "object" ? JSON.stringify(value) : String(value as string | number)))
    .join(" | ");
}

/** Fields mapped from more than one column. */
export function duplicateTargets(mapping: Mapping): string[] {
  const seen = new Map<string, number>();
  for (const field of Object.values(mapping)) {
    if (field) {
      seen.set(field, (seen.get(field) ?? 0) + 1);
    }
  }
  return [...seen.entries()].filter(([, count]) => count > 1).map(([field]) => field);
}

/** Step 2: for every column of the file, which field it fills (the server's guesses preselected). */
export function MappingStep({
  entity,
  upload,
  fileName,
  mapping,
  onChange,
  onBack,
  onNext,
}: {
  entity: ImportEntity;
  upload: ImportUpload;
  fileName: string;
  mapping: Mapping;
  onChange: (mapping: Mapping) => void;
  onBack: () => void;
  onNext: () => void;
}) {
  const { t } = useTranslation();
  const targets = useImportTargets(entity, upload);
  const mapped = new Set(Object.values(mapping).filter((field): field is string => field !== null));
  const missing = requiredFields(entity, upload).filter((field) => !mapped.has(field));
  const duplicates = duplicateTargets(mapping);

  const columns: TableColumnsType<ImportColumn> = [
    {
      title: t("imports.mapping.column"),
      dataIndex: "header",
      width: 220,
      render: (header: string, column) => (
        <Flex vertical>
          <Typography.Text strong>{header || t("imports.mapping.untitled", { index: column.index + 1 })}</Typography.Text>
          {upload.guesses[String(column.index)] ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t("imports.mapping.guessed")}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t("imports.mapping.sample"),
      dataIndex: "sample",
      render: (sample: unknown[]) => (
        <Typography.Text type="secondary" ellipsis={{ tooltip: true }} style={{ maxWidth: 320 }}>
          {sampleText(sample) || "—"}
        </Typography.Text>
      ),
    },
    {
      title: t("imports.mapping.target"),
      key: "target",
      width: 260,
      render: (_value, column) => {
        const current = mapping[String(column.index)] ?? null;
        return (
          <Select<string>
            value={current ?? IGNORE}
            status={current && duplicates.includes(current) ? "error" : undefined}
            onChange={(value) => onChange({ ...mapping, [String(column.index)]: value === IGNORE ? null : value })}
            showSearch={{ optionFilterProp: "label" }}
            style={{ width: "100%" }}
            data-testid={`import-mapping-${column.index}`}
            options={[
              { value: IGNORE, label: t("imports.mapping.ignore") },
              {
                label: t("imports.mapping.builtIn"),
                options: targets
                  .filter((option) => !option.custom)
                  .map(({ value, label, required }) => ({ value, label: required ? `${label} *` : label })),
              },
              ...(targets.some((option) => option.custom)
                ? [
                    {
                      label: t("imports.mapping.customFields"),
                      options: targets.filter((option) => option.custom).map(({ value, label }) => ({ value, label })),
                    },
                  ]
                : []),
            ]}
          />
        );
      },
    },
  ];

  return (
    <Flex vertical gap={16} data-testid="import-step-mapping">
      <Flex gap={8} wrap align="center">
        <Typography.Text strong data-testid="import-file-name">
          {fileName}
        </Typography.Text>
        {upload.rowCount !== null ? (
          <Tag data-testid="import-row-count">
            {t(upload.rowCountExact ? "imports.mapping.rowsExact" : "imports.mapping.rows", { count: upload.rowCount })}
          </Tag>
        ) : null}
        {upload.encoding ? <Tag>{upload.encoding}</Tag> : null}
      </Flex>
      {missing.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          data-testid="import-mapping-missing"
          title={t("imports.mapping.missing", { fields: missing.map((field) => targetLabel(targets, field)).join(", ") })}
        />
      ) : null}
      {duplicates.length > 0 ? (
        <Alert
          type="error"
          showIcon
          data-testid="import-mapping-duplicates"
          title={t("imports.mapping.duplicates", { fields: duplicates.map((field) => targetLabel(targets, field)).join(", ") })}
        />
      ) : null}
      <Table<ImportColumn>
        rowKey="index"
        columns={columns}
        dataSource={upload.columns}
        pagination={false}
        size="small"
        data-testid="import-mapping-table"
      />
      <Flex justify="space-between">
        <Button onClick={onBack} data-testid="import-back">
          {t("imports.back")}
        </Button>
        <Button type="primary" onClick={onNext} disabled={missing.length > 0 || duplicates.length > 0} data-testid="import-mapping-next">
          {t("imports.mapping.next")}
        </Button>
      </Flex>
    </Flex>
  );
}
