import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Table } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useCan } from "../../app/session";
import { formatAmount } from "../approvals/approval-format";
import { ContractStatusTag } from "./contract-status";
import { type Contract, useContracts } from "./contracts-api";

/** "New contract" for a deal or a customer: opens the contract form prefilled from it. */
export function NewContractButton({ dealId, customerId }: { dealId?: string; customerId?: string }) {
  const { t } = useTranslation();
  const can = useCan();
  if (!can("contract:create")) {
    return null;
  }
  const query = dealId ? `dealId=${dealId}` : `customerId=${customerId ?? ""}`;
  return (
    <Link to={`/contracts?new=1&${query}`} data-testid="contract-create-from">
      <Button icon={<PlusOutlined />}>{t("contracts.create")}</Button>
    </Link>
  );
}

/** A customer's contracts (for the 360° page), newest first, with a "new contract" button. */
export function CustomerContractsCard({ customerId }: { customerId: string }) {
  return <ContractsCard source={{ customerId }} testId="customer-contracts" />;
}

/** A deal's contracts (deal detail), with a "new contract" prefilled from the deal (customer, name, lines). */
export function DealContractsCard({ dealId }: { dealId: string }) {
  return <ContractsCard source={{ dealId }} testId="deal-contracts" size="small" />;
}

/** Contracts of a customer or of a deal, newest first, with a "new contract" button prefilled from it. */
export function ContractsCard({ source, testId, size }: { source: { customerId: string } | { dealId: string }; testId: string; size?: "small" | "default" }) {
  const { t } = useTranslation();
  const can = useCan();
  const contracts = useContracts(source, can("contract:view"));
  if (!can("contract:view")) {
    return null;
  }
  const rows = contracts.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Card size={size} title={t("contracts.title")} extra={<NewContractButton {...source} />} data-testid={testId}>
      <Table<Contract>
        size="small"
        rowKey="id"
        pagination={false}
        loading={contracts.isLoading}
        dataSource={rows}
        columns={[
          { title: t("contracts.fields.number"), key: "number", render: (_, c) => <Link to={`/contracts/${c.id}`}>{c.number}</Link> },
          { title: t("contracts.fields.name"), dataIndex: "name", key: "name" },
          { title: t("contracts.fields.total"), key: "total", align: "right", render: (_, c) => formatAmount(c.total) },
          { title: t("contracts.fields.status"), key: "status", render: (_, c) => <ContractStatusTag status={c.status} /> },
          { title: t("contracts.fields.signDate"), key: "signDate", render: (_, c) => c.signDate ?? "—" },
        ]}
      />
    </Card>
  );
}
