import { Button, Card, Drawer, Skeleton, Table, Tabs, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { formatDateTime } from "../../components/format";
import { ApprovalProgress } from "./ApprovalProgress";
import { formatAmount, instanceStatusColor } from "./approval-format";
import { type ApprovalRow, type ApprovalTab, useApproval, useApprovalRows } from "./approvals-api";

const TABS: ApprovalTab[] = ["waiting", "done", "submitted"];

function ApprovalDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const approval = useApproval(id);
  return (
    <Drawer open={id !== null} onClose={onClose} width={560} title={approval.data?.title ?? t("approvals.detail")} destroyOnHidden data-testid="approval-drawer">
      {approval.data ? (
        <>
          {approval.data.path ? (
            <Link to={approval.data.path} data-testid="approval-open-subject">
              {t("approvals.openSubject")}
            </Link>
          ) : null}
          <ApprovalProgress approval={approval.data} />
        </>
      ) : (
        <Skeleton active />
      )}
    </Drawer>
  );
}

function RowsTable({ tab, onOpen }: { tab: ApprovalTab; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const rows = useApprovalRows(tab);
  const data = rows.data?.pages.flatMap((p) => p.data) ?? [];
  const columns: ColumnsType<ApprovalRow> = [
    {
      title: t("approvals.columns.title"),
      key: "title",
      render: (_, row) => (
        <Button type="link" style={{ padding: 0 }} onClick={() => onOpen(row.instanceId)} data-testid={`approval-open-${row.instanceId}`}>
          {row.title ?? row.subjectId.slice(0, 8)}
        </Button>
      ),
    },
    { title: t("approvals.columns.type"), key: "type", render: (_, row) => t(`approvals.subject.${row.subjectType}`, { defaultValue: row.subjectType }) },
    { title: t("approvals.columns.step"), dataIndex: "stepName", key: "step", render: (v: string | null) => v ?? "—" },
    { title: t("approvals.columns.submitter"), key: "submitter", render: (_, row) => row.submitter.name ?? "—" },
    { title: t("approvals.columns.amount"), key: "amount", align: "right", render: (_, row) => formatAmount(row.amount) },
    {
      title: t("approvals.columns.status"),
      key: "status",
      render: (_, row) => (
        <Tag color={instanceStatusColor[row.instanceStatus]}>
          {tab === "done" && row.taskStatus ? t(`approvals.taskStatus.${row.taskStatus}`) : t(`approvals.status.${row.instanceStatus}`)}
        </Tag>
      ),
    },
    ...(tab === "done" ? [{ title: t("approvals.columns.comment"), dataIndex: "comment", key: "comment", render: (v: string | null) => v ?? "—" }] : []),
    { title: t("approvals.columns.createdAt"), key: "createdAt", render: (_, row) => formatDateTime(tab === "done" ? row.actedAt : row.createdAt) },
  ];
  return (
    <>
      <Table<ApprovalRow>
        rowKey={(row) => row.taskId ?? row.instanceId}
        columns={columns}
        dataSource={data}
        loading={rows.isLoading}
        pagination={false}
        onRow={(row) => ({ "data-testid": `approval-row-${row.instanceId}` }) as React.HTMLAttributes<HTMLElement>}
        data-testid={`approvals-table-${tab}`}
      />
      {rows.hasNextPage ? (
        <Button onClick={() => void rows.fetchNextPage()} loading={rows.isFetchingNextPage} style={{ marginTop: 12 }} data-testid="approvals-more">
          {t("approvals.more")}
        </Button>
      ) : null}
    </>
  );
}

/** 我的审批: waiting for me (待我审批), decided by me (我已审批), submitted by me (我发起的). */
export function MyApprovalsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = (TABS.includes(params.get("tab") as ApprovalTab) ? params.get("tab") : "waiting") as ApprovalTab;
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Card title={t("approvals.title")} data-testid="approvals-page">
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key }, { replace: true })}
        items={TABS.map((key) => ({
          key,
          label: <span data-testid={`approvals-tab-${key}`}>{t(`approvals.tabs.${key}`)}</span>,
          children: <RowsTable tab={key} onOpen={setOpen} />,
        }))}
      />
      <ApprovalDrawer id={open} onClose={() => setOpen(null)} />
    </Card>
  );
}
