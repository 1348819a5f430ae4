import { Button, Popconfirm, Space } from "antd";
import type { TableColumnsType } from "antd";
import { useTranslation } from "react-i18next";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { PlanStatusTag } from "./payment-status";
import { type PaymentPlan, type PlanFilter, useDeletePlan, usePlans } from "./payments-api";
import { contractColumns, PaymentsListTable } from "./PaymentsListTable";

/** Instalments 回款计划, soonest due first. */
export function PlansTable({ filter, showContract = true, onEdit }: { filter: PlanFilter; showContract?: boolean; onEdit?: (plan: PaymentPlan) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const list = usePlans(filter);
  const remove = useDeletePlan();

  const columns: TableColumnsType<PaymentPlan> = [
    { title: t("payments.period"), dataIndex: "period", width: 70, render: (n: number) => t("payments.periodN", { n }) },
    ...contractColumns<PaymentPlan>(t, showContract),
    { title: t("payments.dueDate"), dataIndex: "dueDate", width: 110 },
    { title: t("payments.planAmount"), dataIndex: "amount", align: "right" },
    { title: t("payments.paid"), dataIndex: "paid", align: "right", render: (v: string) => <span data-testid="plan-paid">{v}</span> },
    { title: t("payments.outstanding"), dataIndex: "outstanding", align: "right" },
    { title: t("payments.statusLabel"), dataIndex: "status", render: (s: PaymentPlan["status"]) => <PlanStatusTag status={s} /> },
    ...(onEdit
      ? [
          {
            title: t("common.actions"),
            key: "actions",
            render: (_v: unknown, p: PaymentPlan) =>
              p.access.edit ? (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => onEdit(p)} data-testid="plan-edit">
                    {t("common.edit")}
                  </Button>
                  <Popconfirm
                    title={t("payments.confirmDeletePlan")}
                    okText={t("common.delete")}
                    cancelText={t("common.cancel")}
                    okButtonProps={{ danger: true, ...testId("confirm-ok") }}
                    onConfirm={async () => {
                      try {
                        await remove.mutateAsync(p.id);
                      } catch (error) {
                        notify.error(error);
                      }
                    }}
                  >
                    <Button type="link" size="small" danger data-testid="plan-delete">
                      {t("common.delete")}
                    </Button>
                  </Popconfirm>
                </Space>
              ) : null,
          },
        ]
      : []),
  ];

  return <PaymentsListTable<PaymentPlan> list={list} columns={columns} name="plans" rowTestId="plan-row" />;
}
