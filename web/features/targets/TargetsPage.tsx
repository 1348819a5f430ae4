import { Button, Card, Flex, InputNumber, Segmented, Table, Tag, Tooltip, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { LoadError } from "../../components/StatusResults";
import { type Figure, type ReportRow, type SubjectType, type TargetKind, useTargetReport } from "./targets-api";
import { TargetEditModal } from "./TargetEditModal";

function percentColor(percent: number | null): string {
  if (percent === null) {
    return "default";
  }
  return percent >= 100 ? "green" : percent >= 60 ? "blue" : "orange";
}

function FigureCell({ figure, testId }: { figure: Figure; testId: string }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t("targets.actualOfTarget", { actual: figure.actual, target: figure.target })}>
      <Flex vertical align="end" data-testid={testId}>
        <Typography.Text style={{ fontSize: 12 }}>{figure.actual}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {figure.target}
        </Typography.Text>
        <Tag color={percentColor(figure.percent)} style={{ marginInlineEnd: 0 }}>
          {figure.percent === null ? "—" : `${figure.percent}%`}
        </Tag>
      </Flex>
    </Tooltip>
  );
}

/** 业绩目标: users or departments × months of a year — actual, target and percent; managers set targets here. */
export function TargetsPage() {
  const { t } = useTranslation();
  const [year, setYear] = useState(new Date().getFullYear());
  const [kind, setKind] = useState<TargetKind>("contract_amount");
  const [subjectType, setSubjectType] = useState<SubjectType>("user");
  const [editing, setEditing] = useState<ReportRow | null>(null);
  const report = useTargetReport(year, kind, subjectType);

  const columns: TableColumnsType<ReportRow> = [
    { title: t(`targets.subject.${subjectType}`), dataIndex: "name", fixed: "left", width: 140, render: (name: string | null) => <span data-testid="targets-row-name">{name ?? "—"}</span> },
    ...Array.from({ length: 12 }, (_v, m) => ({
      title: t("targets.monthN", { n: m + 1 }),
      key: `m${m + 1}`,
      width: 96,
      align: "right" as const,
      render: (_value: unknown, row: ReportRow) => <FigureCell figure={row.months[m] as Figure} testId={`targets-cell-${m + 1}`} />,
    })),
    {
      title: t("targets.year"),
      key: "year",
      width: 110,
      align: "right",
      fixed: "right",
      render: (_value, row) => <FigureCell figure={row.year} testId="targets-cell-year" />,
    },
    {
      title: t("common.actions"),
      key: "actions",
      width: 80,
      fixed: "right",
      render: (_value, row) =>
        row.editable ? (
          <Button type="link" size="small" onClick={() => setEditing(row)} data-testid="targets-edit">
            {t("common.edit")}
          </Button>
        ) : null,
    },
  ];

  return (
    <Card title={t("targets.title")} data-testid="targets-page">
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <InputNumber min={2000} max={2100} value={year} onChange={(v) => setYear(v ?? new Date().getFullYear())} data-testid="targets-year" />
        <Segmented<TargetKind>
          value={kind}
          onChange={setKind}
          options={[
            { value: "contract_amount", label: <span data-testid="targets-kind-contract">{t("targets.kind.contract_amount")}</span> },
            { value: "payment_amount", label: <span data-testid="targets-kind-payment">{t("targets.kind.payment_amount")}</span> },
          ]}
        />
        <Segmented<SubjectType>
          value={subjectType}
          onChange={setSubjectType}
          options={[
            { value: "user", label: <span data-testid="targets-subject-user">{t("targets.subject.user")}</span> },
            { value: "department", label: <span data-testid="targets-subject-department">{t("targets.subject.department")}</span> },
          ]}
        />
        <Typography.Text type="secondary" style={{ alignSelf: "center" }}>
          {t("targets.legend")}
        </Typography.Text>
      </Flex>
      {report.isError ? (
        <LoadError onRetry={() => void report.refetch()} />
      ) : (
        <Table<ReportRow>
          rowKey="subjectId"
          size="small"
          columns={columns}
          dataSource={report.data?.rows ?? []}
          loading={report.isPending}
          pagination={false}
          scroll={{ x: "max-content" }}
          data-testid="targets-table"
        />
      )}
      {editing ? <TargetEditModal key={editing.subjectId} row={editing} year={year} kind={kind} subjectType={subjectType} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}
