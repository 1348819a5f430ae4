import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { LeadStatus } from "./leads-types";

const COLORS: Record<LeadStatus, string> = { new: "blue", contacted: "cyan", qualified: "gold", converted: "green", invalid: "default" };

export function LeadStatusTag({ status }: { status: LeadStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[status]} data-testid={`lead-status-${status}`}>
      {t(`leads.status.${status}`)}
    </Tag>
  );
}
