import { useQuery } from "@tanstack/react-query";
import { Button, Card, Descriptions, Space, Skeleton } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { api } from "../../app/api";
import { useSession } from "../../app/session";
import { LoadError } from "../../components/StatusResults";
import { formatDateTime } from "../../components/format";
import { useNotify } from "../../components/use-notify";
import { usePicklistLookup } from "../picklists/picklists-api";
import { PaymentStatusTag } from "./payment-status";
import { type Payment, paymentsQueryKey, usePaymentAction } from "./payments-api";

/** One payment 回款 (the approval to-do links here). */
export function PaymentDetailPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const me = useSession();
  const notify = useNotify();
  const method = usePicklistLookup("payment.method");
  const action = usePaymentAction();
  const payment = useQuery({ queryKey: [...paymentsQueryKey, "one", id], queryFn: () => api.get<Payment>(`/payments/${id}`) });
  if (payment.isError) {
    return <LoadError onRetry={() => void payment.refetch()} />;
  }
  const p = payment.data;
  const run = async (kind: "submit" | "withdraw") => {
    try {
      await action.mutateAsync({ id, action: kind });
      notify.success(t(`payments.done.${kind}`));
    } catch (error) {
      notify.error(error);
    }
  };
  return (
    <Card
      title={t("payments.detailTitle")}
      data-testid="payment-detail"
      extra={
        p ? (
          <Space>
            {p.status === "pending" && p.createdBy === me.user.id ? (
              <Button onClick={() => void run("withdraw")} data-testid="payment-detail-withdraw">
                {t("payments.withdraw")}
              </Button>
            ) : null}
            {p.access.edit ? (
              <Button type="primary" onClick={() => void run("submit")} data-testid="payment-detail-resubmit">
                {t("payments.resubmit")}
              </Button>
            ) : null}
          </Space>
        ) : null
      }
    >
      {!p ? (
        <Skeleton active />
      ) : (
        <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
          <Descriptions.Item label={t("payments.amount")}>
            <span data-testid="payment-detail-amount">{p.amount}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t("payments.statusLabel")}>
            <PaymentStatusTag status={p.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t("payments.paidOn")}>{p.paidOn}</Descriptions.Item>
          <Descriptions.Item label={t("payments.method")}>{method(p.method)?.label ?? p.method ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("payments.contract")}>{`${p.contractNumber ?? ""} ${p.contractName ?? ""}`}</Descriptions.Item>
          <Descriptions.Item label={t("payments.customer")}>
            <Link to={`/customers/${p.customerId}`}>{p.customerName ?? "—"}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t("payments.plan")}>{p.planPeriod ? t("payments.periodN", { n: p.planPeriod }) : "—"}</Descriptions.Item>
          <Descriptions.Item label={t("payments.owner")}>{p.ownerName ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("payments.approvedAt")}>{formatDateTime(p.approvedAt)}</Descriptions.Item>
          <Descriptions.Item label={t("payments.remark")}>{p.remark ?? "—"}</Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  );
}
