import { Button, Card, DatePicker, Flex, Form, Input, List, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useTranslation } from "react-i18next";
import { useCan } from "../../app/session";
import { formatDateTime } from "../../components/format";
import { LoadError } from "../../components/StatusResults";
import { useNotify } from "../../components/use-notify";
import { PicklistSelect } from "../picklists/PicklistSelect";
import { usePicklistLookup } from "../picklists/picklists-api";
import { FollowUpEditor } from "../follow-ups/FollowUpActions";
import { useAddLeadFollowUp, useDeleteLeadFollowUp, useLeadFollowUps, useUpdateLeadFollowUp } from "./leads-api";
import type { Lead, LeadFollowUp } from "./leads-types";

interface FollowUpForm {
  type: string;
  content: string;
  nextFollowupAt?: Dayjs | null;
}

/** Edit and delete on a lead's follow-up, as its `access` allows (the author, or followUp:edit / delete scope). */
function LeadFollowUpActions({ leadId, followUp, onChanged }: { leadId: string; followUp: LeadFollowUp; onChanged: () => void }) {
  const update = useUpdateLeadFollowUp(leadId, followUp);
  const remove = useDeleteLeadFollowUp(leadId);
  return (
    <FollowUpEditor
      followUp={followUp}
      save={{ mutateAsync: (input) => update.mutateAsync(input).then(onChanged), isPending: update.isPending }}
      remove={{ mutateAsync: () => remove.mutateAsync(followUp.id).then(onChanged), isPending: remove.isPending }}
    />
  );
}

/** 跟进记录 of a lead: log one (open leads only), see, edit and delete them. */
export function LeadFollowUpsCard({ lead }: { lead: Lead }) {
  const { t } = useTranslation();
  const can = useCan();
  const notify = useNotify();
  const [form] = Form.useForm<FollowUpForm>();
  const list = useLeadFollowUps(lead.id);
  const add = useAddLeadFollowUp(lead.id);
  const typeLabel = usePicklistLookup("followUp.type");
  const canAdd = can("followUp:create") && lead.status !== "converted" && lead.deletedAt === null;

  const submit = (values: FollowUpForm) => {
    add.mutate(
      { type: values.type, content: values.content.trim(), nextFollowupAt: values.nextFollowupAt ? values.nextFollowupAt.toISOString() : null },
      {
        onSuccess: () => {
          form.resetFields();
          void list.refetch();
          notify.success(t("leads.followUps.added"));
        },
        onError: (error) => notify.error(error),
      },
    );
  };

  return (
    <Card title={t("leads.followUps.title")} data-testid="lead-follow-ups">
      {canAdd ? (
        <Form<FollowUpForm> form={form} layout="vertical" initialValues={{ type: "call" }} onFinish={submit} data-testid="lead-follow-up-form">
          <Flex gap={8} wrap>
            <Form.Item name="type" label={t("leads.followUps.type")} rules={[{ required: true, message: t("validation.required") }]} style={{ minWidth: 140 }}>
              <PicklistSelect list="followUp.type" testId="lead-follow-up-type" allowClear={false} />
            </Form.Item>
            <Form.Item name="nextFollowupAt" label={t("leads.field.nextFollowupAt")}>
              <DatePicker showTime data-testid="lead-follow-up-next" />
            </Form.Item>
          </Flex>
          <Form.Item name="content" label={t("leads.followUps.content")} rules={[{ required: true, whitespace: true, message: t("validation.required") }, { max: 10_000 }]}>
            <Input.TextArea rows={3} data-testid="lead-follow-up-content" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={add.isPending} data-testid="lead-follow-up-submit">
            {t("leads.followUps.add")}
          </Button>
        </Form>
      ) : null}
      {list.isError ? (
        <LoadError onRetry={() => void list.refetch()} />
      ) : (
        <List
          loading={list.isPending}
          dataSource={list.data?.data ?? []}
          locale={{ emptyText: lead.status === "converted" ? t("leads.followUps.moved") : t("leads.followUps.none") }}
          renderItem={(f) => (
            <List.Item
              data-testid={`lead-follow-up-${f.id}`}
              actions={lead.status !== "converted" ? [<LeadFollowUpActions key="actions" leadId={lead.id} followUp={f} onChanged={() => void list.refetch()} />] : []}
            >
              <List.Item.Meta
                title={
                  <Typography.Text>
                    {typeLabel(f.type)?.label ?? f.type} · {f.ownerName ?? "—"} · {formatDateTime(f.createdAt)}
                  </Typography.Text>
                }
                description={
                  <>
                    <Typography.Paragraph style={{ whiteSpace: "pre-wrap", marginBottom: 0 }}>{f.content}</Typography.Paragraph>
                    {f.nextFollowupAt ? <Typography.Text type="secondary">{t("leads.followUps.next", { at: formatDateTime(f.nextFollowupAt) })}</Typography.Text> : null}
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
