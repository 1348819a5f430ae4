import { CheckCircleOutlined, CloseCircleOutlined, StopOutlined } from "@ant-design/icons";
import { Button, Empty, Flex, Spin, Typography, theme } from "antd";
import { type DragEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { LoadError } from "../../components/StatusResults";
import { useNotify } from "../../components/use-notify";
import { DEAL_DRAG_TYPE, DealCard } from "./DealCard";
import { type BoardParams, fetchColumnPage, useBoard, useMoveDeal } from "./deals-api";
import { type BoardColumn, type ClosedStatus, type Deal, formatAmount } from "./deals-types";
import { useCloseFlow } from "./use-close-flow";

interface Extra {
  deals: Deal[];
  cursor: string | null;
}

const dropZones: { status: ClosedStatus; icon: React.ReactNode; color: string }[] = [
  { status: "won", icon: <CheckCircleOutlined />, color: "#52c41a" },
  { status: "lost", icon: <CloseCircleOutlined />, color: "#ff4d4f" },
  { status: "invalid", icon: <StopOutlined />, color: "#8c8c8c" },
];

/**
 * 商机看板: one column per stage, each paged on its own (first page with the board, more through
 * the list), cards dragged between columns (optimistic, If-Match) or onto won / lost / invalid.
 */
export function DealBoard({ params, onOpen }: { params: BoardParams; onOpen: (deal: Deal) => void }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const notify = useNotify();
  const board = useBoard(params);
  const move = useMoveDeal();
  const closeFlow = useCloseFlow();
  const [dragging, setDragging] = useState<Deal | null>(null);
  const [over, setOver] = useState<string | null>(null);
  // Pages beyond the first, per column, for the board answer they were loaded on: a new answer
  // (after a move, a filter change…) starts every column from its first page again.
  const [loaded, setLoaded] = useState<{ at: number; byStage: Record<string, Extra> }>({ at: 0, byStage: {} });
  const [loadingMore, setLoadingMore] = useState<string | null>(null);

  const extras = loaded.at === board.dataUpdatedAt ? loaded.byStage : {};

  if (board.isPending) {
    return <Spin data-testid="kanban-loading" />;
  }
  if (board.isError) {
    return <LoadError onRetry={() => void board.refetch()} />;
  }

  const findDeal = (id: string): Deal | undefined => {
    for (const column of board.data.columns) {
      const found = column.deals.find((d) => d.id === id) ?? extras[column.stageId]?.deals.find((d) => d.id === id);
      if (found) {
        return found;
      }
    }
    return dragging?.id === id ? dragging : undefined;
  };
  const draggedDeal = (event: DragEvent) => findDeal(event.dataTransfer.getData(DEAL_DRAG_TYPE) || event.dataTransfer.getData("text/plain"));
  const allowDrop = (key: string) => (event: DragEvent) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (over !== key) {
      setOver(key);
    }
  };
  const dropOnStage = (column: BoardColumn) => (event: DragEvent) => {
    event.preventDefault();
    setOver(null);
    const deal = draggedDeal(event);
    setDragging(null);
    if (!deal || deal.stageId === column.stageId) {
      return;
    }
    move.mutate({ deal, stageId: column.stageId }, { onError: (error) => notify.error(error) });
  };
  const dropOnStatus = (status: ClosedStatus) => (event: DragEvent) => {
    event.preventDefault();
    setOver(null);
    const deal = draggedDeal(event);
    setDragging(null);
    if (deal) {
      closeFlow.request(deal, status);
    }
  };
  const loadMore = async (column: BoardColumn) => {
    const cursor = extras[column.stageId]?.cursor ?? column.nextCursor;
    if (!cursor) {
      return;
    }
    setLoadingMore(column.stageId);
    try {
      const page = await fetchColumnPage(column.stageId, cursor, params);
      const at = board.dataUpdatedAt;
      setLoaded((prev) => {
        const byStage = prev.at === at ? prev.byStage : {};
        return { at, byStage: { ...byStage, [column.stageId]: { deals: [...(byStage[column.stageId]?.deals ?? []), ...page.data], cursor: page.nextCursor } } };
      });
    } catch (error) {
      notify.error(error);
    } finally {
      setLoadingMore(null);
    }
  };

  return (
    <Flex vertical gap={12} data-testid="kanban">
      <Flex gap={12} style={{ overflowX: "auto", paddingBottom: 8 }} align="flex-start">
        {board.data.columns.map((column) => {
          const extra = extras[column.stageId];
          const deals = [...column.deals, ...(extra?.deals ?? [])];
          const hasMore = extra ? extra.cursor !== null : column.nextCursor !== null;
          return (
            <Flex
              key={column.stageId}
              vertical
              gap={8}
              data-testid={`kanban-column-${column.stageId}`}
              data-stage-name={column.name}
              onDragOver={allowDrop(column.stageId)}
              onDragLeave={() => setOver(null)}
              onDrop={dropOnStage(column)}
              style={{
                minWidth: 260,
                width: 260,
                background: over === column.stageId ? token.colorPrimaryBg : token.colorFillQuaternary,
                borderRadius: token.borderRadiusLG,
                padding: 8,
                minHeight: 200,
              }}
            >
              <Flex vertical>
                <Flex justify="space-between">
                  <Typography.Text strong>{column.name}</Typography.Text>
                  <Typography.Text type="secondary">{column.winProbability}%</Typography.Text>
                </Flex>
                <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`kanban-column-summary-${column.stageId}`}>
                  {t("deals.board.summary", { count: column.count })}
                  {column.amount !== undefined ? ` · ${formatAmount(column.amount)}` : ""}
                </Typography.Text>
              </Flex>
              {deals.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("deals.board.empty")} /> : null}
              {deals.map((deal) => (
                <DealCard key={deal.id} deal={deal} onOpen={onOpen} onClose={closeFlow.request} onDragStart={setDragging} onDragEnd={() => setDragging(null)} />
              ))}
              {hasMore ? (
                <Button size="small" type="link" loading={loadingMore === column.stageId} onClick={() => void loadMore(column)} data-testid={`kanban-more-${column.stageId}`}>
                  {t("deals.board.more", { count: column.count - deals.length })}
                </Button>
              ) : null}
            </Flex>
          );
        })}
      </Flex>
      <Flex gap={12} data-testid="kanban-drop-zones">
        {dropZones.map((zone) => (
          <Flex
            key={zone.status}
            flex={1}
            justify="center"
            align="center"
            gap={8}
            onDragOver={allowDrop(zone.status)}
            onDragLeave={() => setOver(null)}
            onDrop={dropOnStatus(zone.status)}
            data-testid={`kanban-drop-${zone.status}`}
            style={{
              border: `2px dashed ${over === zone.status ? zone.color : token.colorBorder}`,
              borderRadius: token.borderRadiusLG,
              padding: 12,
              color: zone.color,
              opacity: dragging || over === zone.status ? 1 : 0.6,
            }}
          >
            {zone.icon}
            {t(`deals.board.dropTo.${zone.status}`)}
          </Flex>
        ))}
      </Flex>
      {closeFlow.modal}
    </Flex>
  );
}
