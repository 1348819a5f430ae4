import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Flex, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useCan } from "../../app/session";
import { STATUS_COLORS } from "./DealDrawer";
import { DealDrawer } from "./DealDrawer";
import { DealFormDrawer } from "./DealFormDrawer";
import { useDealsList } from "./deals-api";
import { formatAmount } from "./deals-types";

/** The customer's deals on its 360° page: stage, amount and status; opens the deal drawer. */
export function CustomerDealsCard({ customer }: { customer: { id: string; name: string; deletedAt: string | null } }) {
  const { t } = useTranslation();
  const can = useCan();
  const list = useDealsList({ q: "", status: [], pipelineId: null, stageId: null, ownerId: null, customerId: customer.id, sort: "-createdAt" }, 20);
  const deals = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);
  const [open, setOpen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  if (!can("deal:view")) {
    return null;
  }
  return (
    <Card
      size="small"
      title={t("deals.customerCard.title", { count: list.data?.pages[0]?.total ?? deals.length })}
      data-testid="customer-deals-card"
      extra={
        can("deal:create") && !customer.deletedAt ? (
          <Button size="small" type="link" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="customer-deal-create">
            {t("deals.create")}
          </Button>
        ) : null
      }
    >
      {deals.length === 0 && !list.isPending ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("deals.customerCard.empty")} /> : null}
      <Flex vertical gap={8}>
        {deals.map((deal) => (
          <Flex key={deal.id} justify="space-between" align="center" gap={8} data-testid={`customer-deal-${deal.id}`}>
            <Flex vertical style={{ minWidth: 0 }}>
              <Typography.Link onClick={() => setOpen(deal.id)} ellipsis>
                {deal.name}
              </Typography.Link>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {deal.stageName} · {formatAmount(deal.amount)}
              </Typography.Text>
            </Flex>
            <Tag color={STATUS_COLORS[deal.status]}>{t(`deals.status.${deal.status}`)}</Tag>
          </Flex>
        ))}
        {list.hasNextPage ? (
          <Button size="small" type="link" onClick={() => void list.fetchNextPage()}>
            {t("deals.loadMore")}
          </Button>
        ) : null}
      </Flex>
      <DealDrawer id={open} onClose={() => setOpen(null)} />
      <DealFormDrawer open={creating} deal={null} customer={customer} onClose={() => setCreating(false)} onSaved={(deal) => setOpen(deal.id)} />
    </Card>
  );
}
