import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Flex, Skeleton, Space, Statistic, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCan } from "../../app/session";
import { type PaymentPlan, usePaymentSummary } from "./payments-api";
import { PaymentFormModal } from "./PaymentFormModal";
import { PaymentsTable } from "./PaymentsTable";
import { PlanFormModal } from "./PlanFormModal";
import { PlansTable } from "./PlansTable";

/**
 * 回款 on the contract detail page: received / pending / outstanding, the instalments and the
 * payments, with "add instalment" and "record payment". Only approved contracts take payments.
 */
export function ContractPaymentsCard({ contractId, contractStatus }: { contractId: string; contractStatus?: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const summary = usePaymentSummary(contractId);
  const [planEditing, setPlanEditing] = useState<PaymentPlan | "new" | null>(null);
  const [recording, setRecording] = useState(false);
  if (!can("payment:view")) {
    return null;
  }
  const approved = contractStatus === undefined || contractStatus === "approved";
  const s = summary.data;
  return (
    <Card
      title={t("payments.cardTitle")}
      data-testid="contract-payments"
      extra={
        <Space>
          {can("payment:edit") && contractStatus !== "void" && contractStatus !== "rejected" ? (
            <Button icon={<PlusOutlined />} onClick={() => setPlanEditing("new")} data-testid="contract-add-plan">
              {t("payments.addPlan")}
            </Button>
          ) : null}
          {can("payment:create") && approved ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="contract-record-payment">
              {t("payments.record")}
            </Button>
          ) : null}
        </Space>
      }
    >
      {s ? (
        <Flex gap={32} wrap style={{ marginBottom: 16 }}>
          <Statistic title={t("payments.total")} value={s.total} valueRender={(n) => <span data-testid="contract-payments-total">{n}</span>} />
          <Statistic title={t("payments.received")} value={s.received} valueRender={(n) => <span data-testid="contract-payments-received">{n}</span>} />
          <Statistic title={t("payments.pendingApproval")} value={s.pending} valueRender={(n) => <span data-testid="contract-payments-pending">{n}</span>} />
          <Statistic title={t("payments.outstanding")} value={s.outstanding} valueRender={(n) => <span data-testid="contract-payments-outstanding">{n}</span>} />
          <Statistic title={t("payments.planned")} value={s.planned} />
        </Flex>
      ) : (
        <Skeleton active paragraph={{ rows: 1 }} />
      )}
      <Typography.Title level={5}>{t("payments.plans")}</Typography.Title>
      <PlansTable filter={{ contractId }} showContract={false} onEdit={(plan) => setPlanEditing(plan)} />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t("payments.list")}
      </Typography.Title>
      <PaymentsTable filter={{ contractId }} showContract={false} />
      {planEditing ? <PlanFormModal contractId={contractId} plan={planEditing === "new" ? null : planEditing} onClose={() => setPlanEditing(null)} /> : null}
      {recording ? (
        <PaymentFormModal contractId={contractId} onClose={() => setRecording(false)} />
      ) : null}
    </Card>
  );
}
