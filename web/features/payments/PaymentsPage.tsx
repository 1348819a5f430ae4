import { ExportOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Card, Flex, Segmented, Select, Tabs, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { useCan } from "../../app/session";
import { EntityExportModal } from "../deals/EntityExportModal";
import { paymentExportFilter } from "./payment-export-filter";
import type { PaymentFilter, PaymentStatus, PlanStatus } from "./payments-api";
import { PaymentFormModal } from "./PaymentFormModal";
import { PaymentsTable } from "./PaymentsTable";
import { PlansTable } from "./PlansTable";

type Due = "all" | "soon" | "overdue";
const PAYMENT_STATUSES: PaymentStatus[] = ["pending", "approved", "rejected", "withdrawn"];
const PLAN_STATUSES: PlanStatus[] = ["pending", "partial", "paid", "overdue"];

/**
 * 回款: payments and instalments the caller may see, and "record payment" on any approved contract.
 * The to-do center links here with ?tab=plans&due=…; a customer's 360° page with ?customerId=….
 */
export function PaymentsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const [recording, setRecording] = useState(false);
  const [exporting, setExporting] = useState(false);
  const customerId = params.get("customerId") ?? undefined;
  // Picking the contract lists contracts, so recording from here needs contract:view too.
  const canRecord = can("payment:create") && can("contract:view");
  const tab = params.get("tab") === "plans" ? "plans" : "payments";
  const due = (["soon", "overdue"].includes(params.get("due") ?? "") ? params.get("due") : "all") as Due;
  const status = params.get("status") ?? undefined;
  // The payments tab's filter: the table lists it and the export writes the same rows.
  const paymentFilter: PaymentFilter = { customerId, ...(status ? { status: status as PaymentStatus } : {}) };

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
    <Card
      title={t("payments.title")}
      data-testid="payments-page"
      extra={
        <Flex gap={8}>
          {tab === "payments" && can("payment:export") ? (
            <Button icon={<ExportOutlined />} onClick={() => setExporting(true)} data-testid="payments-export">
              {t("payments.export")}
            </Button>
          ) : null}
          {canRecord ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="payments-record">
              {t("payments.record")}
            </Button>
          ) : null}
        </Flex>
      }
    >
      {customerId ? (
        <Tag closable onClose={() => set({ customerId: null })} style={{ marginBottom: 12 }} data-testid="payments-customer-filter">
          {t("payments.customerFilter")}
        </Tag>
      ) : null}
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
                <PaymentsTable filter={paymentFilter} />
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
                <PlansTable filter={{ customerId, ...(due === "all" ? (status ? { status: status as PlanStatus } : {}) : { due }) }} />
              </>
            ),
          },
        ]}
      />
      {exporting ? <EntityExportModal entity="payment" filter={paymentExportFilter(paymentFilter)} onClose={() => setExporting(false)} /> : null}
      {recording ? <PaymentFormModal customerId={customerId} onClose={() => setRecording(false)} /> : null}
    </Card>
  );
}
