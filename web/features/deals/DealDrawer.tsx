import { CheckOutlined, CloseOutlined, DeleteOutlined, EditOutlined, RedoOutlined, StopOutlined } from "@ant-design/icons";
import { Button, Descriptions, Drawer, Flex, Popconfirm, Steps, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useCan } from "../../app/session";
import { formatDateTime } from "../../components/format";
import { LoadError } from "../../components/StatusResults";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { DealContractsCard } from "../contracts/CustomerContractsCard";
import { useCustomDetailItems } from "../custom-fields/EntityCustomFields";
import { usePipelines } from "../pipelines/pipelines-api";
import { DealFollowUps } from "./DealFollowUps";
import { DealFormDrawer } from "./DealFormDrawer";
import { useDeal, useDeleteDeal, useMoveDeal, useReopenDeal } from "./deals-api";
import { type DealLine, type DealStatus, formatAmount } from "./deals-types";
import { useCloseFlow } from "./use-close-flow";

export const STATUS_COLORS: Record<DealStatus, string> = { open: "blue", won: "green", lost: "red", invalid: "default" };

function duration(ms: number, t: (key: string, options?: Record<string, unknown>) => string): string {
  const hours = ms / 3_600_000;
  return hours >= 24 ? t("deals.history.days", { count: Math.floor(hours / 24) }) : t("deals.history.hours", { count: Math.floor(hours) });
}

/** 商机详情: stages (click to move), facts, product lines, stage history, follow-ups, won/lost/invalid. */
export function DealDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const notify = useNotify();
  const deal = useDeal(id);
  const customItems = useCustomDetailItems("deal", "deal-detail");
  const pipelines = usePipelines(Boolean(id));
  const move = useMoveDeal();
  const reopen = useReopenDeal();
  const remove = useDeleteDeal();
  const closeFlow = useCloseFlow();
  const [editing, setEditing] = useState(false);
  const d = deal.data;
  const stages = pipelines.data?.data.find((p) => p.id === d?.pipelineId)?.stages ?? [];
  const current = stages.findIndex((s) => s.id === d?.stageId);
  const editable = Boolean(d?.access.edit) && d?.status === "open";

  return (
    <Drawer open={id !== null} onClose={onClose} size={760} title={d?.name ?? ""} destroyOnHidden data-testid="deal-drawer">
      {deal.isError ? <LoadError onRetry={() => void deal.refetch()} /> : null}
      {d ? (
        <Flex vertical gap={16}>
          <Flex justify="space-between" align="center" wrap gap={8}>
            <Tag color={STATUS_COLORS[d.status]} data-testid="deal-detail-status">
              {t(`deals.status.${d.status}`)}
            </Tag>
            <Flex gap={8} wrap>
              {editable ? (
                <>
                  <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="deal-edit">
                    {t("deals.editButton")}
                  </Button>
                  <Button icon={<CheckOutlined />} style={{ color: "#52c41a" }} onClick={() => closeFlow.request(d, "won")} data-testid="deal-detail-won">
                    {t("deals.status.won")}
                  </Button>
                  <Button icon={<CloseOutlined />} danger onClick={() => closeFlow.request(d, "lost")} data-testid="deal-detail-lost">
                    {t("deals.status.lost")}
                  </Button>
                  <Button icon={<StopOutlined />} onClick={() => closeFlow.request(d, "invalid")} data-testid="deal-detail-invalid">
                    {t("deals.status.invalid")}
                  </Button>
                </>
              ) : null}
              {d.access.edit && d.status !== "open" ? (
                <Button icon={<RedoOutlined />} loading={reopen.isPending} onClick={() => reopen.mutate(d, { onError: (e) => notify.error(e) })} data-testid="deal-reopen">
                  {t("deals.reopen")}
                </Button>
              ) : null}
              {d.access.delete ? (
                <Popconfirm
                  title={t("deals.deleteConfirm")}
                  onConfirm={() => remove.mutate(d.id, { onSuccess: () => { notify.success(t("deals.deleted")); onClose(); }, onError: (e) => notify.error(e) })}
                  okButtonProps={testId("deal-delete-confirm")}
                >
                  <Button icon={<DeleteOutlined />} danger type="text" data-testid="deal-delete" aria-label={t("deals.delete")} />
                </Popconfirm>
              ) : null}
            </Flex>
          </Flex>
          {stages.length > 0 ? (
            <Steps
              size="small"
              current={current}
              status={d.status === "open" ? "process" : d.status === "won" ? "finish" : "error"}
              onChange={editable ? (index) => { const stage = stages[index]; if (stage && stage.id !== d.stageId) { move.mutate({ deal: d, stageId: stage.id }, { onError: (e) => notify.error(e) }); } } : undefined}
              items={stages.map((s) => ({ title: <span data-testid={`deal-step-${s.id}`}>{s.name}</span>, description: `${s.winProbability}%` }))}
            />
          ) : null}
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t("deals.field.customer")}>
              <Link to={`/customers/${d.customerId}`}>{d.customerName}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t("deals.field.amount")}>
              <span data-testid="deal-detail-amount">{formatAmount(d.amount)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t("deals.field.stage")}>{d.stageName} ({d.winProbability ?? 0}%)</Descriptions.Item>
            <Descriptions.Item label={t("deals.field.expectedCloseDate")}>{d.expectedCloseDate ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("deals.field.owner")}>{d.ownerName ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("deals.field.contact")}>{d.contactName ?? "—"}</Descriptions.Item>
            {d.status !== "open" ? <Descriptions.Item label={t("deals.field.closedAt")}>{formatDateTime(d.closedAt)}</Descriptions.Item> : null}
            {d.lostReason ? <Descriptions.Item label={t("deals.field.reason")}>{d.lostReason}</Descriptions.Item> : null}
            {customItems(d.custom)}
            {d.remark ? <Descriptions.Item label={t("deals.field.remark")} span={2}>{d.remark}</Descriptions.Item> : null}
          </Descriptions>
          {d.lines && d.lines.length > 0 ? (
            <Table<DealLine>
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={d.lines}
              data-testid="deal-detail-lines"
              title={() => <Typography.Text strong>{t("deals.lines.title")}</Typography.Text>}
              columns={[
                { key: "name", title: t("deals.lines.name"), dataIndex: "name" },
                { key: "price", title: t("deals.lines.price"), align: "right", render: (_, l) => formatAmount(l.price) },
                { key: "quantity", title: t("deals.lines.quantity"), align: "right", render: (_, l) => `${l.quantity}${l.unit ? ` ${l.unit}` : ""}` },
                { key: "discount", title: t("deals.lines.discount"), align: "right", render: (_, l) => `${l.discountPercent}%` },
                { key: "amount", title: t("deals.lines.amount"), align: "right", render: (_, l) => formatAmount(l.amount) },
              ]}
            />
          ) : null}
          <DealContractsCard dealId={d.id} />
          <Flex vertical gap={4} data-testid="deal-history">
            <Typography.Text strong>{t("deals.history.title")}</Typography.Text>
            {d.stageHistory.map((h) => (
              <Flex key={h.id} gap={8} data-testid="deal-history-item">
                <Typography.Text>{h.stageName ?? "—"}</Typography.Text>
                <Typography.Text type="secondary">
                  {formatDateTime(h.enteredAt)} → {h.leftAt ? formatDateTime(h.leftAt) : t("deals.history.now")} · {duration(h.durationMs, t)}
                </Typography.Text>
                {h.exitKind && h.exitKind !== "moved" ? <Tag>{t(`deals.history.exit.${h.exitKind}`)}</Tag> : null}
              </Flex>
            ))}
          </Flex>
          <DealFollowUps dealId={d.id} canAdd={can("followUp:create")} />
          <DealFormDrawer open={editing} deal={d} onClose={() => setEditing(false)} />
          {closeFlow.modal}
        </Flex>
      ) : null}
    </Drawer>
  );
}
