import { CheckOutlined, CloseOutlined, StopOutlined } from "@ant-design/icons";
import { Button, Card, Flex, Tooltip, Typography } from "antd";
import type { DragEvent } from "react";
import { useTranslation } from "react-i18next";
import { formatAmount, type ClosedStatus, type Deal } from "./deals-types";

export const DEAL_DRAG_TYPE = "application/x-haoke-deal";

interface DealCardProps {
  deal: Deal;
  onOpen: (deal: Deal) => void;
  onClose: (deal: Deal, status: ClosedStatus) => void;
  onDragStart: (deal: Deal) => void;
  onDragEnd: () => void;
}

function daysSince(iso: string): number {
  return Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 86_400_000));
}

/** One deal on the kanban: dragged between columns (HTML5 drag and drop), closed from its buttons. */
export function DealCard({ deal, onOpen, onClose, onDragStart, onDragEnd }: DealCardProps) {
  const { t } = useTranslation();
  const canEdit = deal.access.edit;
  const handleDragStart = (event: DragEvent<HTMLDivElement>) => {
    event.dataTransfer.setData(DEAL_DRAG_TYPE, deal.id);
    event.dataTransfer.setData("text/plain", deal.id);
    event.dataTransfer.effectAllowed = "move";
    onDragStart(deal);
  };
  return (
    <div draggable={canEdit} onDragStart={handleDragStart} onDragEnd={onDragEnd} data-testid={`deal-card-${deal.id}`} data-deal-name={deal.name}>
      <Card size="small" hoverable style={{ cursor: canEdit ? "grab" : "pointer" }} onClick={() => onOpen(deal)}>
        <Flex vertical gap={2}>
          <Typography.Text strong ellipsis={{ tooltip: deal.name }} data-testid="deal-card-name">
            {deal.name}
          </Typography.Text>
          <Typography.Text type="secondary" ellipsis>
            {deal.customerName ?? "—"}
          </Typography.Text>
          <Flex justify="space-between" align="center">
            {deal.amount !== undefined ? <Typography.Text data-testid="deal-card-amount">{formatAmount(deal.amount)}</Typography.Text> : <span />}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {deal.ownerName ?? ""}
            </Typography.Text>
          </Flex>
          <Flex justify="space-between" align="center">
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t("deals.card.daysInStage", { count: daysSince(deal.stageEnteredAt) })}
              {deal.expectedCloseDate ? ` · ${deal.expectedCloseDate}` : ""}
            </Typography.Text>
            {canEdit ? (
              <Flex gap={2} onClick={(e) => e.stopPropagation()}>
                <Tooltip title={t("deals.status.won")}>
                  <Button size="small" type="text" icon={<CheckOutlined style={{ color: "#52c41a" }} />} onClick={() => onClose(deal, "won")} data-testid="deal-won" aria-label={t("deals.status.won")} />
                </Tooltip>
                <Tooltip title={t("deals.status.lost")}>
                  <Button size="small" type="text" icon={<CloseOutlined style={{ color: "#ff4d4f" }} />} onClick={() => onClose(deal, "lost")} data-testid="deal-lost" aria-label={t("deals.status.lost")} />
                </Tooltip>
                <Tooltip title={t("deals.status.invalid")}>
                  <Button size="small" type="text" icon={<StopOutlined />} onClick={() => onClose(deal, "invalid")} data-testid="deal-invalid" aria-label={t("deals.status.invalid")} />
                </Tooltip>
              </Flex>
            ) : null}
          </Flex>
        </Flex>
      </Card>
    </div>
  );
}
