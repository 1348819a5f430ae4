import { Card } from "antd";
import { useTranslation } from "react-i18next";
import { useCan } from "../../app/session";
import { RecordFollowUps } from "../follow-ups/RecordFollowUps";
import { useInvalidateLeads } from "./leads-api";
import type { Lead } from "./leads-types";

/** 跟进记录 of a lead: log one (open leads only), see, edit and delete them; a converted lead's have moved to its customer. */
export function LeadFollowUpsCard({ lead }: { lead: Lead }) {
  const { t } = useTranslation();
  const can = useCan();
  const invalidate = useInvalidateLeads();
  const open = lead.status !== "converted" && lead.deletedAt === null;
  return (
    <Card title={t("leads.followUps.title")}>
      <RecordFollowUps
        record={`/leads/${lead.id}`}
        canAdd={open && can("followUp:create")}
        editable={lead.status !== "converted"}
        emptyText={lead.status === "converted" ? t("leads.followUps.moved") : t("leads.followUps.none")}
        testId="lead"
        also={invalidate}
      />
    </Card>
  );
}
