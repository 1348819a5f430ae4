import { Button, DatePicker, Flex, Form, Input, Modal, Popconfirm, Select } from "antd";
import dayjs from "dayjs";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { applyServerFieldErrors } from "../../components/form-errors";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import type { UploadedFile } from "../customer-360/customer-360-types";
import { usePicklist } from "../picklists/picklists-api";
import { useContentRules } from "./FollowUpFields";
import { AttachmentPicker, useAttachmentPicker } from "./Attachments";
import type { FollowUp, UpdateFollowUpInput } from "./follow-ups-api";
import { useDeleteFollowUp, useUpdateFollowUp } from "./follow-ups-api";

interface EditValues {
  type: string;
  content: string;
  nextFollowupAt: Dayjs | null;
}

const FORM_FIELDS = ["type", "content", "nextFollowupAt"] as const;

/** What editing needs of a follow-up, wherever it hangs (a customer, a contact, a lead, a deal). */
export interface EditableFollowUp {
  id: string;
  type: string;
  content: string;
  nextFollowupAt: string | null;
  attachments: readonly UploadedFile[];
  access: { edit: boolean; delete: boolean };
}

interface EditorProps {
  followUp: EditableFollowUp;
  /** Saves the edit (sent at the version the follow-up was shown at, so an edit made meanwhile is reported). */
  save: { mutateAsync: (input: UpdateFollowUpInput) => Promise<unknown>; isPending: boolean };
  remove: { mutateAsync: () => Promise<unknown>; isPending: boolean };
}

/** Edit and delete on a follow-up of a customer's timeline (its author, or followUp:edit / delete scope over it). */
export function FollowUpActions({ followUp }: { followUp: FollowUp }) {
  // A customer's or contact's follow-up (the only ones offered here) always has its customer.
  const update = useUpdateFollowUp(followUp.customerId ?? "");
  const remove = useDeleteFollowUp(followUp.customerId ?? "");
  return (
    <FollowUpEditor
      followUp={followUp}
      save={{ mutateAsync: (input) => update.mutateAsync({ followUp, input }), isPending: update.isPending }}
      remove={{ mutateAsync: () => remove.mutateAsync(followUp.id), isPending: remove.isPending }}
    />
  );
}

/**
 * Edit and delete on one follow-up, offered as the server allows (`access`: the author, or whoever
 * holds followUp:edit / followUp:delete over it). The dialog edits type, content and next contact.
 */
export function FollowUpEditor({ followUp, save, remove }: EditorProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<EditValues>();
  const types = usePicklist("followUp.type");
  const picker = useAttachmentPicker();
  const contentRules = useContentRules();

  if (!followUp.access.edit && !followUp.access.delete) {
    return null;
  }

  const submit = async () => {
    let values: EditValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    try {
      const attachmentIds = picker.ids();
      // Files are sent only when they changed, so the audit log names only what the edit did.
      const filesChanged = attachmentIds.join(",") !== followUp.attachments.map((f) => f.id).join(",");
      await save.mutateAsync({
        type: values.type,
        content: values.content.trim(),
        nextFollowupAt: values.nextFollowupAt ? values.nextFollowupAt.toISOString() : null,
        ...(filesChanged ? { attachmentIds } : {}),
      });
      notify.success(t("followUps.updated"));
      setEditing(false);
    } catch (error) {
      if (!applyServerFieldErrors(form, error, FORM_FIELDS)) {
        notify.error(error);
      }
    }
  };

  // An option retired since keeps showing on the follow-up it labels.
  const options = types.filter((option) => option.active || option.value === followUp.type).map((option) => ({ value: option.value, label: option.label }));

  return (
    <Flex gap={4} data-testid="follow-up-actions">
      {followUp.access.edit ? (
        <Button
          type="link"
          size="small"
          onClick={() => {
            form.setFieldsValue({ type: followUp.type, content: followUp.content, nextFollowupAt: followUp.nextFollowupAt ? dayjs(followUp.nextFollowupAt) : null });
            picker.setFiles(followUp.attachments.map((f) => ({ uid: f.id, name: f.name, size: f.size, type: f.mime, status: "done", response: f })));
            setEditing(true);
          }}
          data-testid="follow-up-edit"
        >
          {t("followUps.edit")}
        </Button>
      ) : null}
      {followUp.access.delete ? (
        <Popconfirm
          title={t("followUps.deleteConfirm")}
          description={t("followUps.deleteHint")}
          okButtonProps={{ danger: true, loading: remove.isPending, ...testId("follow-up-delete-confirm") }}
          onConfirm={async () => {
            try {
              await remove.mutateAsync();
              notify.success(t("followUps.deleted"));
            } catch (error) {
              notify.error(error);
            }
          }}
        >
          <Button type="link" size="small" danger data-testid="follow-up-delete">
            {t("followUps.delete")}
          </Button>
        </Popconfirm>
      ) : null}
      <Modal
        open={editing}
        title={t("followUps.editTitle")}
        onCancel={() => setEditing(false)}
        onOk={() => void submit()}
        confirmLoading={save.isPending}
        okButtonProps={{ disabled: picker.uploading, ...testId("follow-up-edit-save") }}
        destroyOnHidden
      >
        <Form<EditValues> form={form} layout="vertical" requiredMark={false} data-testid="follow-up-edit-form">
          <Form.Item name="type" label={t("followUps.type")} rules={[{ required: true, message: t("validation.required") }]}>
            <Select options={options} />
          </Form.Item>
          <Form.Item
            name="content"
            label={t("followUps.content")}
            rules={contentRules}
          >
            <Input.TextArea rows={5} data-testid="follow-up-edit-content" />
          </Form.Item>
          <Form.Item name="nextFollowupAt" label={t("followUps.nextFollowupAt")}>
            <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" style={{ width: "100%" }} />
          </Form.Item>
          <AttachmentPicker picker={picker} testId="follow-up-edit" />
        </Form>
      </Modal>
    </Flex>
  );
}
