import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { ContractStatus } from "./contracts-api";

const color: Record<ContractStatus, string> = { draft: "default", pending: "processing", approved: "success", rejected: "error", void: "warning" };

export function ContractStatusTag({ status }: { status: ContractStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={color[status]} data-testid="contract-status">
      {t(`contracts.status.${status}`)}
    </Tag>
  );
}
