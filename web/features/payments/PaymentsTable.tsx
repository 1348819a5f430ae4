import { Button, Flex, Popconfirm, Space, Table } from "antd";
import type { TableColumnsType } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useSession } from "../../app/session";
import { LoadError } from "../../components/StatusResults";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { usePicklistLookup } from "../picklists/picklists-api";
import { PaymentStatusTag } from "./payment-status";
import { type Payment, type PaymentFilter, usePaymentAction, usePayments } from "./payments-api";

/** Payments, newest first, with the actions the caller may take on each. */
export function PaymentsTable({ filter, showContract = true }: { filter: PaymentFilter; showContract?: boolean }) {
  const { t } = useTranslation();
  const me = useSession();
  const notify = useNotify();
  const list = usePayments(filter);
  const action = usePaymentAction();
  const method = usePicklistLookup("payment.method");
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];

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
    ...(showContract
      ? [
          {
            title: t("payments.contract"),
            key: "contract",
            render: (_v: unknown, p: Payment) => (
              <Flex vertical>
                <span>{p.contractNumber ?? "—"}</span>
                {p.customerId ? <Link to={`/customers/${p.customerId}`}>{p.customerName ?? "—"}</Link> : null}
              </Flex>
            ),
          },
        ]
      : []),
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

  if (list.isError) {
    return <LoadError onRetry={() => void list.refetch()} />;
  }
  return (
    <Table<Payment>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={rows}
      loading={list.isPending}
      pagination={false}
      scroll={{ x: "max-content" }}
      onRow={() => testId("payment-row")}
      data-testid="payments-table"
      footer={
        list.hasNextPage
          ? () => (
              <Flex justify="center">
                <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="payments-load-more">
                  {t("common.loadMore")}
                </Button>
              </Flex>
            )
          : undefined
      }
    />
  );
}
