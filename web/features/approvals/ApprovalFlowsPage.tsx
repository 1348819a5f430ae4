import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Popconfirm, Space, Table, Tabs, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCan } from "../../app/session";
import { useNotify } from "../../components/use-notify";
import { formatAmount } from "./approval-format";
import { type ApprovalFlow, type ApproverSpec, useApprovalFlows, useDeleteFlow } from "./approvals-api";
import { FlowFormModal } from "./FlowFormModal";

function rangeText(flow: ApprovalFlow, any: string): string {
  if (flow.minAmount === null && flow.maxAmount === null) {
    return any;
  }
  return `${flow.minAmount === null ? "0" : formatAmount(flow.minAmount)} ≤ x < ${flow.maxAmount === null ? "∞" : formatAmount(flow.maxAmount)}`;
}

/** Settings → approval flows: per subject type (contract, payment, …), tried by priority, chosen by amount. */
export function ApprovalFlowsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const notify = useNotify();
  const flows = useApprovalFlows();
  const remove = useDeleteFlow();
  const subjectTypes = flows.data?.subjectTypes ?? [];
  const [type, setType] = useState<string | null>(null);
  const current = type ?? subjectTypes[0] ?? "contract";
  const [editing, setEditing] = useState<ApprovalFlow | "new" | null>(null);

  const approverText = (a: ApproverSpec) =>
    a.kind === "manager" ? t("approvals.flows.managerN", { n: a.levels }) : a.kind === "role" ? t("approvals.approverKind.role") : t("approvals.approverKind.user");

  const columns: ColumnsType<ApprovalFlow> = [
    { title: t("approvals.flows.priority"), dataIndex: "priority", key: "priority", width: 90 },
    { title: t("approvals.flows.name"), dataIndex: "name", key: "name", render: (v: string, f) => <span data-testid={`flow-row-${f.id}`}>{v}</span> },
    { title: t("approvals.flows.amountRange"), key: "range", render: (_, f) => rangeText(f, t("approvals.flows.anyAmount")) },
    {
      title: t("approvals.flows.steps"),
      key: "steps",
      render: (_, f) => (
        <Space wrap>
          {f.steps.map((s, i) => (
            <Tag key={i}>
              {i + 1}. {s.name} ({t(`approvals.mode.${s.mode}`)}: {s.approvers.map(approverText).join(", ")})
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t("approvals.flows.active"), key: "active", render: (_, f) => (f.active ? <Tag color="green">{t("approvals.flows.on")}</Tag> : <Tag>{t("approvals.flows.off")}</Tag>) },
    {
      title: "",
      key: "actions",
      render: (_, f) => (
        <Space>
          {can("approvalFlow:edit") ? (
            <Button size="small" onClick={() => setEditing(f)} data-testid={`flow-edit-${f.id}`}>
              {t("approvals.flows.editShort")}
            </Button>
          ) : null}
          {can("approvalFlow:delete") ? (
            <Popconfirm
              title={t("approvals.flows.deleteConfirm")}
              onConfirm={async () => {
                try {
                  await remove.mutateAsync(f.id);
                } catch (error) {
                  notify.error(error);
                }
              }}
            >
              <Button size="small" danger data-testid={`flow-delete-${f.id}`}>
                {t("approvals.flows.delete")}
              </Button>
            </Popconfirm>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <Card
      title={t("approvals.flows.title")}
      data-testid="approval-flows-page"
      extra={
        can("approvalFlow:create") ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="flow-create">
            {t("approvals.flows.create")}
          </Button>
        ) : null
      }
    >
      <Typography.Paragraph type="secondary">{t("approvals.flows.help")}</Typography.Paragraph>
      {subjectTypes.length === 0 && !flows.isLoading ? <Empty /> : null}
      <Tabs
        activeKey={current}
        onChange={setType}
        items={subjectTypes.map((s) => ({
          key: s,
          label: <span data-testid={`flows-tab-${s}`}>{t(`approvals.subject.${s}`, { defaultValue: s })}</span>,
          children: <Table<ApprovalFlow> rowKey="id" columns={columns} dataSource={(flows.data?.data ?? []).filter((f) => f.subjectType === s)} loading={flows.isLoading} pagination={false} />,
        }))}
      />
      <FlowFormModal open={editing !== null} flow={editing === "new" ? null : editing} subjectTypes={subjectTypes} defaultSubjectType={current} onClose={() => setEditing(null)} />
    </Card>
  );
}
