import { Alert, Button, Card, Col, Descriptions, Flex, Popconfirm, Row, Timeline, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError } from "../../app/api";
import { formatDateTime } from "../../components/format";
import { LoadError, NotFoundResult } from "../../components/StatusResults";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { useCustomDetailItems } from "../custom-fields/EntityCustomFields";
import { usePicklistLookup } from "../picklists/picklists-api";
import { AssignLeadsModal } from "./AssignLeadsModal";
import { ConvertLeadModal } from "./ConvertLeadModal";
import { useDeleteLead, useLead, useLeadHistory } from "./leads-api";
import type { Lead, LeadEvent } from "./leads-types";
import { LeadFollowUpsCard } from "./LeadFollowUpsCard";
import { LeadFormDrawer } from "./LeadFormDrawer";
import { LeadStatusTag } from "./LeadStatusTag";

type Dialog = "edit" | "assign" | "convert" | null;

/** A lead: its fields, follow-ups, history and actions (edit, assign, convert, delete). */
export function LeadDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const lead = useLead(id);
  if (lead.error instanceof ApiError && lead.error.status === 404) {
    return <NotFoundResult />;
  }
  if (lead.isError) {
    return <LoadError onRetry={() => void lead.refetch()} />;
  }
  if (!lead.data) {
    return <Card loading title={t("leads.title")} />;
  }
  return <LeadDetail lead={lead.data} />;
}

function LeadDetail({ lead }: { lead: Lead }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const notify = useNotify();
  const [dialog, setDialog] = useState<Dialog>(null);
  const remove = useDeleteLead();
  const sourceLabel = usePicklistLookup("customer.source");
  const industryLabel = usePicklistLookup("customer.industry");
  const customItems = useCustomDetailItems("lead", "lead-detail");
  const converted = lead.status === "converted";
  const show = (value: string | null | undefined) => value ?? "—";

  return (
    <Flex vertical gap={16} data-testid="lead-detail">
      <Card
        title={
          <Flex gap={8} align="center">
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="lead-name">
              {lead.name}
            </Typography.Title>
            <LeadStatusTag status={lead.status} />
          </Flex>
        }
        extra={
          <Flex gap={8} wrap>
            {lead.access.edit ? (
              <Button onClick={() => setDialog("edit")} data-testid="lead-edit">
                {t("common.edit")}
              </Button>
            ) : null}
            {lead.access.assign ? (
              <Button onClick={() => setDialog("assign")} data-testid="lead-assign">
                {t("leads.assign.button")}
              </Button>
            ) : null}
            {lead.access.convert ? (
              <Button type="primary" onClick={() => setDialog("convert")} data-testid="lead-convert">
                {t("leads.convert.button")}
              </Button>
            ) : null}
            {lead.access.delete ? (
              <Popconfirm
                title={t("leads.deleteConfirm")}
                onConfirm={() =>
                  remove.mutate(lead.id, {
                    onSuccess: () => {
                      notify.success(t("leads.deleted"));
                      void navigate("/leads");
                    },
                    onError: (error) => notify.error(error),
                  })
                }
                okButtonProps={testId("lead-delete-confirm")}
              >
                <Button danger data-testid="lead-delete">
                  {t("common.delete")}
                </Button>
              </Popconfirm>
            ) : null}
          </Flex>
        }
      >
        {converted ? (
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="lead-converted"
            title={t("leads.convertedNotice", { at: formatDateTime(lead.convertedAt) })}
            action={
              lead.customerId ? (
                <Link to={`/customers/${lead.customerId}`} data-testid="lead-converted-customer">
                  {t("leads.openCustomer")}
                </Link>
              ) : null
            }
          />
        ) : null}
        <Descriptions column={{ xs: 1, md: 2 }} size="small" data-testid="lead-fields">
          {lead.company !== undefined ? <Descriptions.Item label={t("leads.field.company")}>{show(lead.company)}</Descriptions.Item> : null}
          {lead.title !== undefined ? <Descriptions.Item label={t("leads.field.title")}>{show(lead.title)}</Descriptions.Item> : null}
          {lead.phone !== undefined ? <Descriptions.Item label={t("leads.field.phone")}>{show(lead.phone)}</Descriptions.Item> : null}
          {lead.email !== undefined ? <Descriptions.Item label={t("leads.field.email")}>{show(lead.email)}</Descriptions.Item> : null}
          {lead.source !== undefined ? <Descriptions.Item label={t("leads.field.source")}>{sourceLabel(lead.source)?.label ?? "—"}</Descriptions.Item> : null}
          {lead.industry !== undefined ? <Descriptions.Item label={t("leads.field.industry")}>{industryLabel(lead.industry)?.label ?? "—"}</Descriptions.Item> : null}
          {lead.ownerId !== undefined ? <Descriptions.Item label={t("leads.field.owner")}>{lead.ownerName ?? t("leads.unassigned")}</Descriptions.Item> : null}
          <Descriptions.Item label={t("leads.field.nextFollowupAt")}>{formatDateTime(lead.nextFollowupAt)}</Descriptions.Item>
          <Descriptions.Item label={t("leads.field.lastFollowupAt")}>{formatDateTime(lead.lastFollowupAt)}</Descriptions.Item>
          <Descriptions.Item label={t("leads.field.createdAt")}>{formatDateTime(lead.createdAt)}</Descriptions.Item>
          {lead.address !== undefined ? <Descriptions.Item label={t("leads.field.address")}>{show(lead.address)}</Descriptions.Item> : null}
          {customItems(lead.custom)}
          {lead.remark !== undefined ? (
            <Descriptions.Item label={t("leads.field.remark")} span={2}>
              <Typography.Text style={{ whiteSpace: "pre-wrap" }}>{show(lead.remark)}</Typography.Text>
            </Descriptions.Item>
          ) : null}
        </Descriptions>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <LeadFollowUpsCard lead={lead} />
        </Col>
        <Col xs={24} lg={10}>
          <LeadHistoryCard id={lead.id} />
        </Col>
      </Row>
      {dialog === "edit" ? <LeadFormDrawer lead={lead} onClose={() => setDialog(null)} /> : null}
      {dialog === "assign" ? <AssignLeadsModal ids={[lead.id]} onClose={() => setDialog(null)} /> : null}
      {dialog === "convert" ? <ConvertLeadModal lead={lead} onClose={() => setDialog(null)} /> : null}
    </Flex>
  );
}

function describe(event: LeadEvent, t: ReturnType<typeof useTranslation>["t"]): string {
  const data = event.data ?? {};
  if (event.kind === "assigned") {
    const to = typeof data.toName === "string" ? data.toName : "—";
    return t(data.via === "round_robin" ? "leads.history.assignedRoundRobin" : "leads.history.assigned", { to, reason: typeof data.reason === "string" ? `(${data.reason})` : "" });
  }
  if (event.kind === "field_change") {
    const changes = Object.keys((data.changes as Record<string, unknown> | undefined) ?? {});
    return t("leads.history.field_change", { fields: changes.map((f) => t(`leads.field.${f}`, { defaultValue: f })).join(", ") });
  }
  return t(`leads.history.${event.kind}`, { defaultValue: event.kind });
}

function LeadHistoryCard({ id }: { id: string }) {
  const { t } = useTranslation();
  const history = useLeadHistory(id);
  return (
    <Card title={t("leads.history.title")} data-testid="lead-history" loading={history.isPending}>
      {history.isError ? (
        <LoadError onRetry={() => void history.refetch()} />
      ) : (
        <Timeline
          items={(history.data?.data ?? []).map((event) => ({
            key: event.id,
            children: (
              <Flex vertical data-testid={`lead-history-${event.kind}`}>
                <Typography.Text>{describe(event, t)}</Typography.Text>
                <Typography.Text type="secondary">
                  {event.actorName ?? "—"} · {formatDateTime(event.createdAt)}
                </Typography.Text>
              </Flex>
            ),
          }))}
        />
      )}
    </Card>
  );
}
