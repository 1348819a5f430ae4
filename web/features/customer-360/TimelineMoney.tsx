import { Flex, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useSession } from "../../app/session";
import { formatCurrency, nonEmpty as str } from "./timeline-money";

/**
 * The body of a deal / contract / payment entry: what it is about (deal name, contract number and
 * name), its amount in the workspace currency, and the stage, payment date, reason or comment.
 */
export function MoneyEntry({ kind, data }: { kind: string; data: Record<string, unknown> }) {
  const { t, i18n } = useTranslation();
  const { workspace } = useSession();
  // Deals carry `amount`, contracts `total`, payments `amount` (decimal strings since money became decimal).
  const value = str(data.amount) ?? str(data.total);
  const amount = value ? formatCurrency(value, workspace.currency, i18n.language) : null;
  const contract = [str(data.number) ?? str(data.contractNumber), str(data.contractName) ?? (kind.startsWith("contract_") ? str(data.name) : null)].filter(Boolean).join(" ");
  const subject = kind.startsWith("deal_") ? str(data.name) : contract || null;
  const reason = str(data.reason);
  const comment = str(data.comment);
  const paidOn = str(data.paidOn);
  const stage = str(data.stageName);
  return (
    <Flex vertical gap={2} data-testid="timeline-money-entry">
      <Flex gap={8} align="baseline" wrap>
        {subject ? <Typography.Text data-testid="timeline-money-subject">{subject}</Typography.Text> : null}
        {amount ? (
          <Typography.Text strong data-testid="timeline-amount">
            {amount}
          </Typography.Text>
        ) : null}
      </Flex>
      {stage ? <Typography.Text type="secondary">{t("customer360.timeline.money.stage", { stage })}</Typography.Text> : null}
      {paidOn ? <Typography.Text type="secondary">{t("customer360.timeline.money.paidOn", { date: paidOn })}</Typography.Text> : null}
      {reason ? <Typography.Text type="secondary">{t("customer360.timeline.reason", { reason })}</Typography.Text> : null}
      {comment ? <Typography.Text type="secondary">{t("customer360.timeline.money.comment", { comment })}</Typography.Text> : null}
    </Flex>
  );
}
