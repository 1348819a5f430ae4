import { Flex, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { RecordFollowUps } from "../follow-ups/RecordFollowUps";
import { useInvalidateDeals } from "./deals-api";

/** 跟进记录 of a deal, in its drawer (they also show on its customer's timeline). */
export function DealFollowUps({ dealId, canAdd }: { dealId: string; canAdd: boolean }) {
  const { t } = useTranslation();
  const invalidate = useInvalidateDeals();
  return (
    <Flex vertical gap={8}>
      <Typography.Text strong>{t("deals.followUps.title")}</Typography.Text>
      <RecordFollowUps record={`/deals/${dealId}`} canAdd={canAdd} editable emptyText={t("deals.followUps.empty")} testId="deal" also={invalidate} />
    </Flex>
  );
}
