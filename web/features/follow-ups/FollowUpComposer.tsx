import { Button, Flex, Form, Input, Select } from "antd";
import type { Dayjs } from "dayjs";
import { useTranslation } from "react-i18next";
import { applyServerFieldErrors } from "../../components/form-errors";
import { useNotify } from "../../components/use-notify";
import type { Contact } from "../customer-360/customer-360-types";
import { usePicklist } from "../picklists/picklists-api";
import { NextContactPicker, useContentRules } from "./FollowUpFields";
import { AttachmentPicker, useAttachmentPicker } from "./Attachments";
import { useCreateFollowUp } from "./follow-ups-api";

interface ComposerValues {
  about: string;
  type?: string;
  content: string;
  nextFollowupAt?: Dayjs | null;
}

const FORM_FIELDS = ["type", "content", "nextFollowupAt"] as const;
const CUSTOMER = "customer";

/** Logs a follow-up (跟进记录) on the customer or one of its contacts, with attachments. */
export function FollowUpComposer({ customerId, contacts }: { customerId: string; contacts: Contact[] }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<ComposerValues>();
  const types = usePicklist("followUp.type").filter((option) => option.active);
  const create = useCreateFollowUp(customerId);
  const picker = useAttachmentPicker();
  const contentRules = useContentRules();

  const submit = async () => {
    let values: ComposerValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const contactId = values.about === CUSTOMER ? null : values.about;
    const attachmentIds = picker.ids();
    try {
      await create.mutateAsync({
        entity: contactId ? "contact" : "customer",
        recordId: contactId ?? customerId,
        type: values.type ?? "",
        content: values.content.trim(),
        nextFollowupAt: values.nextFollowupAt ? values.nextFollowupAt.toISOString() : null,
        ...(attachmentIds.length > 0 ? { attachmentIds } : {}),
      });
      notify.success(t("followUps.saved"));
      form.resetFields();
      picker.reset();
    } catch (error) {
      if (!applyServerFieldErrors(form, error, FORM_FIELDS)) {
        notify.error(error);
      }
    }
  };


  return (
    <Form<ComposerValues>
      form={form}
      layout="vertical"
      initialValues={{ about: CUSTOMER, content: "" }}
      data-testid="follow-up-composer"
      requiredMark={false}
    >
      <Flex gap={12} wrap>
        <Form.Item name="type" label={t("followUps.type")} rules={[{ required: true, message: t("validation.required") }]} style={{ minWidth: 140 }}>
          <Select
            placeholder={t("followUps.typePlaceholder")}
            data-testid="follow-up-type"
            options={types.map((option) => ({ value: option.value, label: option.label }))}
          />
        </Form.Item>
        <Form.Item name="about" label={t("followUps.about")} style={{ minWidth: 180 }}>
          <Select
            data-testid="follow-up-about"
            options={[
              { value: CUSTOMER, label: t("followUps.aboutCustomer") },
              ...contacts.map((contact) => ({ value: contact.id, label: t("followUps.aboutContact", { name: contact.name }) })),
            ]}
          />
        </Form.Item>
        <Form.Item name="nextFollowupAt" label={t("followUps.nextFollowupAt")}>
          <NextContactPicker testId="follow-up-next-at" />
        </Form.Item>
      </Flex>
      <Form.Item
        name="content"
        label={t("followUps.content")}
        rules={contentRules}
      >
        <Input.TextArea
          autoSize={{ minRows: 3, maxRows: 10 }}
          placeholder={t("followUps.contentPlaceholder")}
          data-testid="follow-up-content"
        />
      </Form.Item>
      <Flex justify="space-between" align="start" gap={12} wrap>
        <AttachmentPicker picker={picker} testId="follow-up" />
        <Button
          type="primary"
          onClick={() => void submit()}
          loading={create.isPending}
          disabled={picker.uploading}
          data-testid="follow-up-submit"
        >
          {t("followUps.submit")}
        </Button>
      </Flex>
    </Form>
  );
}
