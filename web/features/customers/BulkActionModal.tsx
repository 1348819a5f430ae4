import { Alert, Form, Input, Modal } from "antd";
import { useTranslation } from "react-i18next";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { PicklistSelect } from "../picklists/PicklistSelect";
import { TagSelect } from "../tags/TagSelect";
import { useBulkAction } from "./customers-api";
import type { BulkInput } from "./customer-types";
import { UserPicker } from "./UserPicker";

export type BulkDialogKind = "assign" | "addTags" | "removeTags" | "setLevel";

interface BulkValues {
  ownerId?: string | null;
  reason?: string;
  tagIds?: string[];
  level?: string | null;
}

interface BulkActionModalProps {
  kind: BulkDialogKind;
  /** The selection (ids) or the whole filtered set (filter). */
  target: Pick<BulkInput, "ids" | "filter">;
  count: string;
  onDone: () => void;
  onClose: () => void;
}

/** Asks for what a bulk action needs (new owner, tags, level) and runs it over the selection. */
export function BulkActionModal({ kind, target, count, onDone, onClose }: BulkActionModalProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<BulkValues>();
  const bulk = useBulkAction();

  const submit = async () => {
    let values: BulkValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const input: BulkInput = { action: kind, ...target };
    if (kind === "assign") {
      input.ownerId = values.ownerId ?? "";
      if (values.reason?.trim()) {
        input.reason = values.reason.trim();
      }
    } else if (kind === "setLevel") {
      input.level = values.level ?? null;
    } else {
      input.tagIds = values.tagIds ?? [];
    }
    try {
      const result = await bulk.mutateAsync(input);
      notify.success(t("customers.bulk.done", { changed: result.changed, matched: result.matched }));
      onDone();
      onClose();
    } catch (error) {
      notify.error(error);
    }
  };

  return (
    <Modal
      open
      title={t(`customers.bulk.${kind}Title`)}
      okText={t("common.confirm")}
      cancelText={t("common.cancel")}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={bulk.isPending}
      okButtonProps={testId("bulk-form-submit")}
      destroyOnHidden
    >
      <Alert type="info" showIcon title={t("customers.bulk.appliesTo", { count })} style={{ marginBottom: 16 }} />
      <Form<BulkValues> form={form} layout="vertical" data-testid="bulk-form">
        {kind === "assign" ? (
          <>
            <Form.Item name="ownerId" label={t("customers.bulk.newOwner")} rules={[{ required: true, message: t("validation.required") }]}>
              <UserPicker testId="bulk-form-owner" />
            </Form.Item>
            <Form.Item name="reason" label={t("customers.bulk.reason")}>
              <Input.TextArea rows={2} maxLength={500} data-testid="bulk-form-reason" />
            </Form.Item>
          </>
        ) : null}
        {kind === "addTags" || kind === "removeTags" ? (
          <Form.Item name="tagIds" label={t("customers.field.tags")} rules={[{ required: true, message: t("validation.required") }]}>
            <TagSelect testId="bulk-form-tags" />
          </Form.Item>
        ) : null}
        {kind === "setLevel" ? (
          <Form.Item name="level" label={t("customers.field.level")} extra={t("customers.bulk.levelHint")}>
            <PicklistSelect list="customer.level" testId="bulk-form-level" />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
