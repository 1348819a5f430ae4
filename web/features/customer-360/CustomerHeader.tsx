import { LockOutlined } from "@ant-design/icons";
import { Card, Descriptions, Flex, Tag, Tooltip, Typography } from "antd";
import type { DescriptionsProps } from "antd";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../components/format";
import { CustomerActions } from "./CustomerActions";
import type { Customer } from "./customer-360-types";
import { usePicklist } from "../picklists/picklists-api";

const STAGE_COLORS: Record<string, string> = {
  prospect: "default",
  intent: "processing",
  customer: "success",
  loyal: "gold",
  churned: "error",
};

function isOverdue(value: string | null): boolean {
  return value !== null && new Date(value).getTime() < Date.now();
}

export function CustomerHeader({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const levels = usePicklist("customer.level");
  const level = levels.find((option) => option.value === customer.level);

  const items: DescriptionsProps["items"] = [];
  if (customer.level !== undefined) {
    items.push({
      key: "level",
      label: t("customer360.field.level"),
      children: customer.level ? (
        <Tag color={level?.color ?? undefined} data-testid="customer-level">
          {level?.label ?? customer.level}
        </Tag>
      ) : (
        "—"
      ),
    });
  }
  if (customer.lifecycleStage !== undefined) {
    items.push({
      key: "stage",
      label: t("customer360.field.lifecycleStage"),
      children: (
        <Tag color={STAGE_COLORS[customer.lifecycleStage]} data-testid="customer-stage">
          {t(`customer360.stage.${customer.lifecycleStage}`)}
        </Tag>
      ),
    });
  }
  if (customer.ownerId !== undefined) {
    items.push({
      key: "owner",
      label: t("customer360.field.owner"),
      children: (
        <span data-testid="customer-owner">{customer.ownerName ?? t("customer360.noOwner")}</span>
      ),
    });
  }
  items.push({
    key: "dealStatus",
    label: t("customer360.field.dealStatus"),
    children: (
      <Tag color={customer.dealStatus === "dealt" ? "green" : "default"} data-testid="customer-deal-status">
        {t(`customer360.dealStatus.${customer.dealStatus}`)}
      </Tag>
    ),
  });
  items.push({
    key: "lastFollowupAt",
    label: t("customer360.field.lastFollowupAt"),
    children: (
      <Flex vertical>
        <span data-testid="customer-last-followup">{formatDateTime(customer.lastFollowupAt)}</span>
        {customer.lastFollowupContent ? (
          <Typography.Text
            type="secondary"
            ellipsis={{ tooltip: customer.lastFollowupContent }}
            style={{ maxWidth: 260 }}
            data-testid="customer-last-followup-content"
          >
            {customer.lastFollowupContent}
          </Typography.Text>
        ) : null}
      </Flex>
    ),
  });
  items.push({
    key: "nextFollowupAt",
    label: t("customer360.field.nextFollowupAt"),
    children: (
      <Typography.Text type={isOverdue(customer.nextFollowupAt) ? "danger" : undefined} data-testid="customer-next-followup">
        {formatDateTime(customer.nextFollowupAt)}
        {isOverdue(customer.nextFollowupAt) ? ` (${t("customer360.overdue")})` : ""}
      </Typography.Text>
    ),
  });
  if (customer.phone !== undefined) {
    items.push({ key: "phone", label: t("customer360.field.phone"), children: customer.phone ?? "—" });
  }
  if (customer.email !== undefined) {
    items.push({ key: "email", label: t("customer360.field.email"), children: customer.email ?? "—" });
  }
  items.push({
    key: "primaryContact",
    label: t("customer360.primaryContact"),
    children: customer.primaryContactName ?? "—",
  });

  return (
    <Card data-testid="customer-header">
      <Flex justify="space-between" align="start" gap={16} wrap>
        <Flex vertical gap={8} style={{ minWidth: 0 }}>
          <Flex align="center" gap={8} wrap>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="customer-name">
              {customer.name}
            </Typography.Title>
            <Tag>{t(`customer360.kind.${customer.kind}`)}</Tag>
            {customer.locked ? (
              <Tooltip title={t("customer360.lockedHint")}>
                <Tag icon={<LockOutlined />} color="purple" data-testid="customer-locked">
                  {t("customer360.locked")}
                </Tag>
              </Tooltip>
            ) : null}
            {customer.deletedAt ? <Tag color="red">{t("customer360.inRecycleBin")}</Tag> : null}
          </Flex>
          {customer.tags && customer.tags.length > 0 ? (
            <Flex gap={4} wrap data-testid="customer-tags">
              {customer.tags.map((tag) => (
                <Tag key={tag.id} color={tag.color} data-testid="customer-tag">
                  {tag.name}
                </Tag>
              ))}
            </Flex>
          ) : null}
        </Flex>
        <CustomerActions customer={customer} />
      </Flex>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, md: 3, xl: 4 }}
        items={items}
        style={{ marginTop: 16 }}
        data-testid="customer-facts"
      />
    </Card>
  );
}
