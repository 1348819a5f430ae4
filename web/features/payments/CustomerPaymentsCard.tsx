import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Col, Row, Skeleton, Space, Statistic, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useCan } from "../../app/session";
import { LoadError } from "../../components/StatusResults";
import { useCustomerPaymentSummary } from "./payments-api";
import { PaymentFormModal } from "./PaymentFormModal";

/**
 * 回款 on a customer's 360° page: received, in approval, outstanding and overdue over its approved
 * contracts, "record payment" (the contract picked among the customer's) and a link to the list.
 */
export function CustomerPaymentsCard({ customer }: { customer: { id: string; deletedAt: string | null } }) {
  const { t } = useTranslation();
  const can = useCan();
  const canView = can("payment:view");
  const summary = useCustomerPaymentSummary(customer.id, canView);
  const [recording, setRecording] = useState(false);
  if (!canView) {
    return null;
  }
  const s = summary.data;
  const stat = (key: string, title: string, value: string, danger = false) => (
    <Col span={12}>
      <Statistic
        title={title}
        value={value}
        styles={{ content: { fontSize: 18, ...(danger ? { color: "#cf1322" } : {}) } }}
        valueRender={(node) => <span data-testid={`customer-payments-${key}`}>{node}</span>}
      />
    </Col>
  );
  return (
    <Card
      size="small"
      title={t("payments.customerCard.title")}
      data-testid="customer-payments-card"
      extra={
        can("payment:create") && can("contract:view") && !customer.deletedAt ? (
          <Button size="small" type="link" icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="customer-record-payment">
            {t("payments.record")}
          </Button>
        ) : null
      }
    >
      {summary.isError ? <LoadError onRetry={() => void summary.refetch()} /> : null}
      {s ? (
        <Space orientation="vertical" style={{ width: "100%" }}>
          <Row gutter={[16, 8]}>
            {stat("received", t("payments.received"), s.received)}
            {stat("pending", t("payments.pendingApproval"), s.pending)}
            {stat("outstanding", t("payments.outstanding"), s.outstanding)}
            {stat("overdue", t("payments.customerCard.overdue", { count: s.overduePlans }), s.overdue, s.overduePlans > 0)}
          </Row>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t("payments.customerCard.basis", { count: s.contracts, total: s.total })}
          </Typography.Text>
          <Link to={`/payments?customerId=${customer.id}`} data-testid="customer-payments-all">
            {t("payments.customerCard.all")}
          </Link>
        </Space>
      ) : summary.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : null}
      {recording ? <PaymentFormModal customerId={customer.id} onClose={() => setRecording(false)} /> : null}
    </Card>
  );
}
