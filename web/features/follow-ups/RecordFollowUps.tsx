import { Button, Empty, Flex, Form, Input, Select, Spin, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../components/format";
import { LoadError } from "../../components/StatusResults";
import { applyServerFieldErrors } from "../../components/form-errors";
import { useNotify } from "../../components/use-notify";
import { usePicklist } from "../picklists/picklists-api";
import { AttachmentLinks, AttachmentPicker, useAttachmentPicker } from "./Attachments";
import { NextContactPicker, useContentRules } from "./FollowUpFields";
import { FollowUpEditor } from "./FollowUpActions";
import {
  type RecordFollowUp,
  type RecordPath,
  recordFileHref,
  useAddRecordFollowUp,
  useDeleteRecordFollowUp,
  useRecordFollowUps,
  useUpdateRecordFollowUp,
} from "./record-follow-ups-api";

interface ComposerValues {
  type?: string;
  content: string;
  nextFollowupAt?: Dayjs | null;
}

const FORM_FIELDS = ["type", "content", "nextFollowupAt"] as const;

interface Props {
  /** `/deals/<id>` or `/leads/<id>` */
  record: RecordPath;
  /** The composer shows (followUp:create, and the record still takes follow-ups). */
  canAdd: boolean;
  /** Edit and delete are offered (as each follow-up's `access` allows); a converted lead's are read-only. */
  editable: boolean;
  emptyText: string;
  /** data-testid prefix: "deal" → deal-follow-ups, deal-follow-up-item, … */
  testId: string;
  /** Refreshes what else shows the record's follow-up summary (a deal's board card, a lead's last / next follow-up). */
  also: () => Promise<unknown>;
}

/** Edit and delete on one of the record's follow-ups. */
function RecordFollowUpActions({ record, followUp, also }: { record: RecordPath; followUp: RecordFollowUp; also: () => Promise<unknown> }) {
  const update = useUpdateRecordFollowUp(record, followUp, also);
  const remove = useDeleteRecordFollowUp(record, also);
  return (
    <FollowUpEditor
      followUp={followUp}
      save={{ mutateAsync: (input) => update.mutateAsync(input), isPending: update.isPending }}
      remove={{ mutateAsync: () => remove.mutateAsync(followUp.id), isPending: remove.isPending }}
    />
  );
}

/** Logs a follow-up on the record: type, next contact, content and attachments. */
function RecordFollowUpComposer({ record, testId, also }: Pick<Props, "record" | "testId" | "also">) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<ComposerValues>();
  const types = usePicklist("followUp.type").filter((option) => option.active);
  const add = useAddRecordFollowUp(record, also);
  const picker = useAttachmentPicker();
  const contentRules = useContentRules();
  // The first active type is chosen once the list has loaded (the form keeps it between follow-ups).
  const firstType = types[0]?.value;
  useEffect(() => {
    if (firstType && !form.getFieldValue("type")) {
      form.setFieldValue("type", firstType);
    }
  }, [firstType, form]);

  const submit = async () => {
    let values: ComposerValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const attachmentIds = picker.ids();
    try {
      await add.mutateAsync({
        type: values.type ?? "",
        content: values.content.trim(),
        nextFollowupAt: values.nextFollowupAt ? values.nextFollowupAt.toISOString() : null,
        ...(attachmentIds.length > 0 ? { attachmentIds } : {}),
      });
      notify.success(t("followUps.saved"));
      form.resetFields(["content", "nextFollowupAt"]);
      picker.reset();
    } catch (error) {
      if (!applyServerFieldErrors(form, error, FORM_FIELDS)) {
        notify.error(error);
      }
    }
  };

  return (
    <Form<ComposerValues> form={form} layout="vertical" requiredMark={false} initialValues={{ content: "" }} data-testid={`${testId}-follow-up-form`}>
      <Flex gap={8} wrap>
        <Form.Item name="type" label={t("followUps.type")} rules={[{ required: true, message: t("validation.required") }]} style={{ minWidth: 140, marginBottom: 8 }}>
          <Select options={types.map((o) => ({ value: o.value, label: o.label }))} data-testid={`${testId}-follow-up-type`} />
        </Form.Item>
        <Form.Item name="nextFollowupAt" label={t("followUps.nextFollowupAt")} style={{ marginBottom: 8 }}>
          <NextContactPicker testId={`${testId}-follow-up-next`} />
        </Form.Item>
      </Flex>
      <Form.Item
        name="content"
        label={t("followUps.content")}
        style={{ marginBottom: 8 }}
        rules={contentRules}
      >
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} placeholder={t("followUps.contentPlaceholder")} data-testid={`${testId}-follow-up-content`} />
      </Form.Item>
      <Flex justify="space-between" align="start" gap={8} wrap>
        <AttachmentPicker picker={picker} testId={`${testId}-follow-up`} />
        <Button type="primary" onClick={() => void submit()} loading={add.isPending} disabled={picker.uploading} data-testid={`${testId}-follow-up-submit`}>
          {t("followUps.submit")}
        </Button>
      </Flex>
    </Form>
  );
}

/**
 * 跟进记录 of a lead or a deal: the composer, then the follow-ups newest first, a page at a time,
 * each with its files and, where the server allows, edit and delete.
 */
export function RecordFollowUps({ record, canAdd, editable, emptyText, testId, also }: Props) {
  const { t } = useTranslation();
  const list = useRecordFollowUps(record);
  const types = usePicklist("followUp.type");
  const typeLabel = (value: string) => types.find((o) => o.value === value)?.label ?? value;
  const items = list.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <Flex vertical gap={12} data-testid={`${testId}-follow-ups`}>
      {canAdd ? <RecordFollowUpComposer record={record} testId={testId} also={also} /> : null}
      {list.isError ? <LoadError onRetry={() => void list.refetch()} /> : null}
      {list.isPending ? <Spin /> : null}
      {list.isSuccess && items.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} /> : null}
      {items.map((f) => (
        <Flex key={f.id} vertical gap={2} data-testid={`${testId}-follow-up-item`} data-follow-up-id={f.id}>
          <Flex justify="space-between" align="center" gap={8}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {typeLabel(f.type)} · {f.ownerName ?? "—"} · {formatDateTime(f.createdAt)}
            </Typography.Text>
            {editable ? <RecordFollowUpActions record={record} followUp={f} also={also} /> : null}
          </Flex>
          <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: "pre-wrap" }}>{f.content}</Typography.Paragraph>
          <AttachmentLinks files={f.attachments} href={recordFileHref(record, f.id)} testId={`${testId}-follow-up-attachment`} />
          {f.nextFollowupAt ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t("followUps.nextAt", { at: formatDateTime(f.nextFollowupAt) })}
            </Typography.Text>
          ) : null}
        </Flex>
      ))}
      {list.hasNextPage ? (
        <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid={`${testId}-follow-ups-more`}>
          {t("common.loadMore")}
        </Button>
      ) : null}
    </Flex>
  );
}
