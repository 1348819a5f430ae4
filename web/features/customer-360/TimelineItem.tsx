import {
  CommentOutlined,
  DeleteOutlined,
  EditOutlined,
  FileTextOutlined,
  FunnelPlotOutlined,
  LockOutlined,
  MergeCellsOutlined,
  MessageOutlined,
  PlusCircleOutlined,
  SwapOutlined,
  TeamOutlined,
  UnlockOutlined,
  UploadOutlined,
  UserAddOutlined,
} from "@ant-design/icons";
import { Flex, Tag, Typography } from "antd";
import type { ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatDateTime } from "../../components/format";
import type { TimelineEntry, UploadedFile } from "./customer-360-types";
import type { FieldFormatter } from "./field-format";
import type { FollowUp } from "../follow-ups/follow-ups-api";
import { AttachmentLinks } from "../follow-ups/Attachments";
import { FollowUpActions } from "../follow-ups/FollowUpActions";

/** What an entry's data refers to by id, resolved from what the page has loaded. */
export interface TimelineLookups {
  format: FieldFormatter;
  contactName: (id: string) => string | null;
  userName: (id: string) => string | null;
  /** The follow-up record behind a follow_up entry (attachments, next time), when loaded. */
  followUp: (id: string) => FollowUp | null;
}
import { usePicklistLabel } from "./picklist-label";
import { isMoneyKind } from "./timeline-money";
import { MoneyEntry } from "./TimelineMoney";

function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const KIND_ICONS: Record<string, ReactNode> = {
  created: <PlusCircleOutlined />,
  field_change: <EditOutlined />,
  owner_change: <SwapOutlined />,
  follow_up: <MessageOutlined />,
  comment: <CommentOutlined />,
  contact_added: <UserAddOutlined />,
  deleted: <DeleteOutlined />,
  restored: <PlusCircleOutlined />,
  merged: <MergeCellsOutlined />,
  locked: <LockOutlined />,
  unlocked: <UnlockOutlined />,
  collaborators_changed: <TeamOutlined />,
  imported: <UploadOutlined />,
  lead_converted: <FunnelPlotOutlined />,
};

export function timelineIcon(kind: string): ReactNode {
  return KIND_ICONS[kind] ?? <FileTextOutlined />;
}

export function timelineColor(kind: string): string {
  switch (kind) {
    case "follow_up":
      return "blue";
    case "comment":
      return "green";
    case "deleted":
      return "red";
    case "owner_change":
    case "merged":
      return "orange";
    case "lead_converted":
      return "purple";
    default:
      return "gray";
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Highlights @name mentions inside a comment; known names may contain spaces. */
function MentionText({ content, names }: { content: string; names: string[] }) {
  const known = [...names].sort((a, b) => b.length - a.length).map((name) => `@${escapeRegExp(name)}`);
  const pattern = new RegExp(`(${[...known, "@[^\\s@]+"].join("|")})`, "g");
  const parts = content.split(pattern);
  return (
    <Typography.Paragraph style={{ whiteSpace: "pre-wrap", marginBottom: 0 }} data-testid="timeline-comment-content">
      {parts.map((part, index) =>
        part.startsWith("@") ? (
          <Typography.Text key={index} strong style={{ color: "#1677ff" }}>
            {part}
          </Typography.Text>
        ) : (
          <span key={index}>{part}</span>
        ),
      )}
    </Typography.Paragraph>
  );
}

function FieldChanges({ changes, format }: { changes: Record<string, unknown>; format: FieldFormatter }) {
  return (
    <Flex vertical gap={2} data-testid="timeline-field-changes">
      {Object.entries(changes).map(([field, change]) => {
        const from = isRecord(change) ? change.from : null;
        const to = isRecord(change) ? change.to : change;
        return (
          <Typography.Text key={field} data-testid="timeline-field-change" data-field={field}>
            <Typography.Text type="secondary">{format.label(field)}: </Typography.Text>
            <Typography.Text delete type="secondary">
              {format.value(field, from)}
            </Typography.Text>
            {" → "}
            <Typography.Text strong>{format.value(field, to)}</Typography.Text>
          </Typography.Text>
        );
      })}
    </Flex>
  );
}

function GenericData({ data }: { data: Record<string, unknown> }) {
  const entries = Object.entries(data)
    .filter(([, value]) => value === null || ["string", "number", "boolean"].includes(typeof value))
    .slice(0, 8);
  if (entries.length === 0) {
    return null;
  }
  return (
    <Flex vertical gap={2} data-testid="timeline-generic-data">
      {entries.map(([key, value]) => (
        <Typography.Text key={key} type="secondary">
          {key}: {value === null ? "—" : String(value as string | number | boolean)}
        </Typography.Text>
      ))}
    </Flex>
  );
}

/** The files a follow-up entry keeps (its data is JSON: only well-formed ones are shown). */
function entryFiles(value: unknown): UploadedFile[] {
  return Array.isArray(value) ? value.filter(isRecord).map((file) => ({ id: String(file.id), name: str(file.name) ?? String(file.id), size: Number(file.size), mime: str(file.mime) ?? "" })) : [];
}

/** "Converted from lead <name>" (or attached to an existing customer), with the lead's source; the name links to the read-only lead. */
function LeadConverted({ data }: { data: Record<string, unknown> }) {
  const { t } = useTranslation();
  const source = usePicklistLabel("customer.source");
  const leadId = str(data.leadId);
  const name = str(data.leadName) ?? "—";
  const followUps = typeof data.followUps === "number" ? data.followUps : 0;
  const sourceValue = str(data.source);
  // Trans puts the name inside: a link to the (read-only) lead, or plain text without its id.
  const link = leadId ? <Link to={`/leads/${leadId}`} data-testid="timeline-lead-link" /> : <span />;
  return (
    <Flex vertical gap={2} data-testid="timeline-lead-converted">
      <Typography.Text>
        <Trans i18nKey={data.attached === true ? "customer360.timeline.leadAttached" : "customer360.timeline.leadConverted"} values={{ name }} components={{ lead: link }} />
      </Typography.Text>
      <Flex gap={8} wrap>
        {sourceValue ? <Tag data-testid="timeline-lead-source">{t("customer360.timeline.leadSource", { source: source(sourceValue) })}</Tag> : null}
        {followUps > 0 ? <Typography.Text type="secondary">{t("customer360.timeline.leadFollowUps", { count: followUps })}</Typography.Text> : null}
      </Flex>
    </Flex>
  );
}

/** The body of one timeline entry; kinds this version does not know are shown generically. */
function EntryBody({ entry, lookups }: { entry: TimelineEntry; lookups: TimelineLookups }) {
  const { t } = useTranslation();
  const followUpType = usePicklistLabel("followUp.type");
  const data = entry.data ?? {};
  const { format } = lookups;
  switch (entry.kind) {
    case "follow_up": {
      const record = lookups.followUp(str(data.followUpId) ?? "");
      const contactId = str(data.contactId);
      const contactName = str(data.contactName) ?? record?.contactName ?? (contactId ? lookups.contactName(contactId) : null);
      const nextAt = str(data.nextFollowupAt) ?? record?.nextFollowupAt ?? null;
      // A deal's follow-up names its deal; it is edited in the deal's drawer, where it was logged.
      const dealName = str(data.dealName);
      const files: unknown = Array.isArray(data.attachments) ? data.attachments : (record?.attachments ?? []);
      return (
        <Flex vertical gap={4}>
          <Flex gap={8} align="center" wrap>
            <Tag color="blue" data-testid="timeline-follow-up-type">
              {followUpType(str(data.type))}
            </Tag>
            {contactName ? (
              <Typography.Text type="secondary" data-testid="timeline-follow-up-contact">
                {t("customer360.timeline.withContact", { name: contactName })}
              </Typography.Text>
            ) : null}
            {dealName ? (
              <Typography.Text type="secondary" data-testid="timeline-follow-up-deal">
                {t("customer360.timeline.aboutDeal", { name: dealName })}
              </Typography.Text>
            ) : null}
            {nextAt ? (
              <Typography.Text type="secondary" data-testid="timeline-follow-up-next">
                {t("customer360.timeline.nextAt", { time: formatDateTime(nextAt) })}
              </Typography.Text>
            ) : null}
          </Flex>
          <Typography.Paragraph style={{ whiteSpace: "pre-wrap", marginBottom: 0 }} data-testid="timeline-follow-up-content">
            {str(data.content) ?? ""}
          </Typography.Paragraph>
          <AttachmentLinks files={entryFiles(files)} testId="timeline-attachment" />
          {record && (record.entity === "customer" || record.entity === "contact") ? <FollowUpActions followUp={record} /> : null}
        </Flex>
      );
    }
    case "comment": {
      const names = Array.isArray(data.mentions)
        ? data.mentions.map((id) => lookups.userName(String(id))).filter((name): name is string => name !== null)
        : [];
      return <MentionText content={str(data.content) ?? ""} names={names} />;
    }
    case "field_change":
      return isRecord(data.changes) ? <FieldChanges changes={data.changes} format={format} /> : null;
    case "owner_change": {
      const reason = str(data.reason);
      const via = str(data.via);
      return (
        <Flex vertical gap={2}>
          <Typography.Text data-testid="timeline-owner-change">
            {t("customer360.timeline.ownerFromTo", {
              from: str(data.fromName) ?? t("customer360.timeline.noOwner"),
              to:
                str(data.toName) ??
                (str(data.to) ? (lookups.userName(String(data.to)) ?? t("customer360.timeline.someone")) : t("customer360.timeline.noOwner")),
            })}
            {via ? <Tag style={{ marginInlineStart: 8 }}>{t(`customer360.timeline.via.${via}`, { defaultValue: via })}</Tag> : null}
          </Typography.Text>
          {reason ? (
            <Typography.Text type="secondary">{t("customer360.timeline.reason", { reason })}</Typography.Text>
          ) : null}
        </Flex>
      );
    }
    case "contact_added":
      return str(data.name) ? <Typography.Text>{str(data.name)}</Typography.Text> : null;
    case "merged":
      return (
        <Flex vertical gap={2}>
          <Typography.Text data-testid="timeline-merged">
            {t("customer360.timeline.mergedCount", { count: Array.isArray(data.mergedIds) ? data.mergedIds.length : 0 })}
            {Array.isArray(data.mergedNames) ? `: ${data.mergedNames.map(String).join(", ")}` : ""}
          </Typography.Text>
          {isRecord(data.changes) && Object.keys(data.changes).length > 0 ? <FieldChanges changes={data.changes} format={format} /> : null}
        </Flex>
      );
    case "collaborators_changed": {
      const list = Array.isArray(data.collaborators) ? data.collaborators.filter(isRecord) : [];
      return (
        <Typography.Text type="secondary" data-testid="timeline-collaborators">
          {list.length === 0
            ? t("customer360.timeline.noCollaborators")
            : list
                .map((item) => {
                  const name = str(item.userName) ?? (str(item.userId) ? lookups.userName(String(item.userId)) : null);
                  const access = str(item.access);
                  return `${name ?? t("customer360.timeline.someone")}${access ? ` (${t(`customer360.collaborators.${access}`)})` : ""}`;
                })
                .join(", ")}
        </Typography.Text>
      );
    }
    case "lead_converted":
      return <LeadConverted data={data} />;
    case "created":
      return str(data.fromLeadId) ? (
        <Typography.Text type="secondary" data-testid="timeline-created-from-lead">
          {t("customer360.timeline.createdFromLead")}
        </Typography.Text>
      ) : null;
    case "deleted":
    case "restored":
    case "locked":
    case "unlocked":
    case "imported":
      return null;
    default:
      return isMoneyKind(entry.kind) ? <MoneyEntry kind={entry.kind} data={data} /> : <GenericData data={data} />;
  }
}

export function TimelineItemContent({ entry, lookups }: { entry: TimelineEntry; lookups: TimelineLookups }) {
  const { t } = useTranslation();
  const kindLabel = t(`customer360.timeline.kind.${entry.kind}`, { defaultValue: entry.kind.replace(/_/g, " ") });
  return (
    <Flex vertical gap={4} data-testid="timeline-item" data-kind={entry.kind} data-id={entry.id}>
      <Flex gap={8} align="baseline" wrap>
        <Typography.Text strong data-testid="timeline-actor">
          {entry.actorName ?? t("customer360.timeline.system")}
        </Typography.Text>
        <Typography.Text data-testid="timeline-kind">{kindLabel}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatDateTime(entry.createdAt)}
        </Typography.Text>
      </Flex>
      <EntryBody entry={entry} lookups={lookups} />
    </Flex>
  );
}
