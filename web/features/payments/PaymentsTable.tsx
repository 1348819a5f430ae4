import { Button, Popconfirm, Space } from "antd";
import type { TableColumnsType } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useSession } from "../../app/session";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { usePicklistLookup } from "../picklists/picklists-api";
import { PaymentStatusTag } from "./payment-status";
import { type Payment, type PaymentFilter, usePaymentAction, usePayments } from "./payments-api";
import { contractColumns, PaymentsListTable } from "./PaymentsListTable";

/** Payments, newest first, with the actions the caller may take on each. */
export function PaymentsTable({ filter, showContract = true }: { filter: PaymentFilter; showContract?: boolean }) {
  const { t } = useTranslation();
  const me = useSession();
  const notify = useNotify();
  const list = usePayments(filter);
  const action = usePaymentAction();
  const method = usePicklistLookup("payment.method");

  const run = async (id: string, kind: "submit" | "withdraw" | "delete") => {
    try {
      await action.mutateAsync({ id, action: kind });
      notify.success(t(`payments.done.${kind}`));
    } catch (error) {
      notify.error(error);
    }
  };

  const columns: TableColumnsType<Payment> = [
    { title: t("payments.paidOn"), dataIndex: "paidOn", width: 110 },
    { title: t("payments.amount"), dataIndex: "amount", align: "right", render: (v: string) => <span data-testid="payment-amount">{v}</span> },
    { title: t("payments.method"), dataIndex: "method", render: (v: string | undefined) => method(v)?.label ?? v ?? "—" },
    ...contractColumns<Payment>(t, showContract),
    { title: t("payments.plan"), dataIndex: "planPeriod", render: (v: number | null) => (v ? t("payments.periodN", { n: v }) : "—") },
    { title: t("payments.owner"), dataIndex: "ownerName", render: (v: string | null) => v ?? "—" },
    { title: t("payments.statusLabel"), dataIndex: "status", render: (s: Payment["status"]) => <PaymentStatusTag status={s} /> },
    {
      title: t("common.actions"),
      key: "actions",
      render: (_v, p) => (
        <Space size={0}>
          <Link to={`/payments/${p.id}`} data-testid="payment-open">
            {t("common.view")}
          </Link>
          {p.status === "pending" && p.createdBy === me.user.id ? (
            <Button type="link" size="small" onClick={() => void run(p.id, "withdraw")} data-testid="payment-withdraw">
              {t("payments.withdraw")}
            </Button>
          ) : null}
          {p.access.edit ? (
            <Button type="link" size="small" onClick={() => void run(p.id, "submit")} data-testid="payment-resubmit">
              {t("payments.resubmit")}
            </Button>
          ) : null}
          {p.access.delete ? (
            <Popconfirm title={t("payments.confirmDelete")} okText={t("common.delete")} cancelText={t("common.cancel")} okButtonProps={{ danger: true, ...testId("confirm-ok") }} onConfirm={() => run(p.id, "delete")}>
              <Button type="link" size="small" danger data-testid="payment-delete">
                {t("common.delete")}
              </Button>
            </Popconfirm>
          ) : null}
        </Space>
      ),
    },
  ];

  return <PaymentsListTable<Payment> list={list} columns={columns} name="payments" rowTestId="payment-row" />;
}
