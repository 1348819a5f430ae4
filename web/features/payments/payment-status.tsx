import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { PaymentStatus, PlanStatus } from "./payments-api";

const PLAN_COLORS: Record<PlanStatus, string> = { pending: "default", partial: "blue", paid: "green", overdue: "red" };
const PAYMENT_COLORS: Record<PaymentStatus, string> = { pending: "gold", approved: "green", rejected: "red", withdrawn: "default" };

export function PlanStatusTag({ status }: { status: PlanStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={PLAN_COLORS[status]} data-testid="plan-status">
      {t(`payments.planStatus.${status}`)}
    </Tag>
  );
}

export function PaymentStatusTag({ status }: { status: PaymentStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={PAYMENT_COLORS[status]} data-testid="payment-status">
      {t(`payments.status.${status}`)}
    </Tag>
  );
}
