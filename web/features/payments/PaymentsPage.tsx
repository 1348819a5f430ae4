import { Card, Segmented, Select, Tabs } from "antd";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import type { PaymentStatus, PlanStatus } from "./payments-api";
import { PaymentsTable } from "./PaymentsTable";
import { PlansTable } from "./PlansTable";

type Due = "all" | "soon" | "overdue";
const PAYMENT_STATUSES: PaymentStatus[] = ["pending", "approved", "rejected", "withdrawn"];
const PLAN_STATUSES: PlanStatus[] = ["pending", "partial", "paid", "overdue"];

/** 回款: payments and instalments the caller may see. The to-do center links here with ?tab=plans&due=… */
export function PaymentsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") === "plans" ? "plans" : "payments";
  const due = (["soon", "overdue"].includes(params.get("due") ?? "") ? params.get("due") : "all") as Due;
  const status = params.get("status") ?? undefined;

  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) {
        next.delete(key);
      } else {
        next.set(key, value);
      }
    }
    setParams(next, { replace: true });
  };

  return (
    <Card title={t("payments.title")} data-testid="payments-page">
      <Tabs
        activeKey={tab}
        onChange={(key) => set({ tab: key === "plans" ? "plans" : null, due: null, status: null })}
        items={[
          {
            key: "payments",
            label: <span data-testid="payments-tab-payments">{t("payments.list")}</span>,
            children: (
              <>
                <Select
                  allowClear
                  placeholder={t("payments.statusLabel")}
                  value={status}
                  onChange={(v: string | undefined) => set({ status: v ?? null })}
                  options={PAYMENT_STATUSES.map((s) => ({ value: s, label: t(`payments.status.${s}`) }))}
                  style={{ width: 180, marginBottom: 12 }}
                  data-testid="payments-status-filter"
                />
                <PaymentsTable filter={status ? { status: status as PaymentStatus } : {}} />
              </>
            ),
          },
          {
            key: "plans",
            label: <span data-testid="payments-tab-plans">{t("payments.plans")}</span>,
            children: (
              <>
                <Segmented<Due>
                  value={due}
                  onChange={(v) => set({ due: v === "all" ? null : v })}
                  options={[
                    { value: "all", label: <span data-testid="plans-due-all">{t("payments.due.all")}</span> },
                    { value: "soon", label: <span data-testid="plans-due-soon">{t("payments.due.soon")}</span> },
                    { value: "overdue", label: <span data-testid="plans-due-overdue">{t("payments.due.overdue")}</span> },
                  ]}
                  style={{ marginBottom: 12, marginInlineEnd: 12 }}
                />
                {due === "all" ? (
                  <Select
                    allowClear
                    placeholder={t("payments.statusLabel")}
                    value={status}
                    onChange={(v: string | undefined) => set({ status: v ?? null })}
                    options={PLAN_STATUSES.map((s) => ({ value: s, label: t(`payments.planStatus.${s}`) }))}
                    style={{ width: 160, marginBottom: 12 }}
                    data-testid="plans-status-filter"
                  />
                ) : null}
                <PlansTable filter={due === "all" ? (status ? { status: status as PlanStatus } : {}) : { due }} />
              </>
            ),
          },
        ]}
      />
    </Card>
  );
}
