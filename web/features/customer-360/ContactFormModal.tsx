import { Checkbox, Flex, Form, Input, Modal } from "antd";
import type { ReactNode } from "react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useFieldRules } from "../../app/session";
import { applyServerFieldErrors } from "../../components/form-errors";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { useSaveContact } from "./customer-360-api";
import type { ContactInput } from "./customer-360-api";
import type { Contact } from "./customer-360-types";

const TEXT_FIELDS = ["name", "phone", "email", "title", "department", "wechat", "remark"] as const;
type TextField = (typeof TEXT_FIELDS)[number];
const FORM_FIELDS = [...TEXT_FIELDS, "isDecisionMaker", "isPrimary"];

type Values = Partial<Record<TextField, string | null>> & { isDecisionMaker: boolean; isPrimary: boolean };

function normalise(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
}

function initialValues(contact: Contact | null): Values {
  const values: Values = { isDecisionMaker: contact?.isDecisionMaker ?? false, isPrimary: contact?.isPrimary ?? false };
  for (const key of TEXT_FIELDS) {
    values[key] = contact?.[key] ?? "";
  }
  return values;
}

/** Adds or edits a contact (联系人); only changed fields are sent on edit. */
export function ContactFormModal({
  customerId,
  contact,
  onClose,
}: {
  customerId: string;
  contact: Contact | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const rule = useFieldRules("contact");
  const [form] = Form.useForm<Values>();
  const [initial] = useState(() => initialValues(contact));
  const save = useSaveContact(customerId);

  const submit = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const changes: ContactInput = {};
    for (const key of TEXT_FIELDS) {
      if (key in values && (contact === null || normalise(values[key]) !== normalise(initial[key]))) {
        const value = normalise(values[key]);
        if (key === "name") {
          changes.name = value ?? "";
        } else if (contact !== null || value !== null) {
          changes[key] = value;
        }
      }
    }
    if (contact === null || values.isDecisionMaker !== initial.isDecisionMaker) {
      changes.isDecisionMaker = values.isDecisionMaker;
    }
    if (values.isPrimary !== initial.isPrimary) {
      changes.isPrimary = values.isPrimary;
    }
    try {
      if (contact === null || Object.keys(changes).length > 0) {
        await save.mutateAsync({ contact, changes });
      }
      notify.success(t("common.saved"));
      onClose();
    } catch (error) {
      if (!applyServerFieldErrors(form, error, FORM_FIELDS)) {
        notify.error(error);
      }
    }
  };

  const field = (key: TextField, render: (disabled: boolean) => ReactNode) => {
    if (key === "name") {
      return render(false);
    }
    const access = rule(key);
    if (access.access === "hidden" || (contact !== null && contact[key] === undefined)) {
      return null;
    }
    return render(access.access === "read" || (contact !== null && access.masked));
  };

  return (
    <Modal
      open
      title={contact ? t("customer360.contacts.editTitle") : t("customer360.contacts.addTitle")}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={save.isPending}
      okButtonProps={testId("contact-form-save")}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" initialValues={initial} data-testid="contact-form">
        {TEXT_FIELDS.map((key) =>
          field(key, (disabled) => (
            <Form.Item
              key={key}
              name={key}
              label={t(`customer360.contactField.${key}`)}
              rules={
                key === "name"
                  ? [{ required: true, whitespace: true, message: t("validation.required") }]
                  : key === "email"
                    ? [{ type: "email", message: t("validation.email") }]
                    : []
              }
            >
              {key === "remark" ? (
                <Input.TextArea rows={2} disabled={disabled} data-testid={`contact-form-${key}`} />
              ) : (
                <Input disabled={disabled} data-testid={`contact-form-${key}`} />
              )}
            </Form.Item>
          )),
        )}
        <Flex gap={24}>
          <Form.Item name="isPrimary" valuePropName="checked">
            <Checkbox data-testid="contact-form-isPrimary">{t("customer360.contacts.primary")}</Checkbox>
          </Form.Item>
          <Form.Item name="isDecisionMaker" valuePropName="checked">
            <Checkbox data-testid="contact-form-isDecisionMaker">{t("customer360.contacts.decisionMaker")}</Checkbox>
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}
