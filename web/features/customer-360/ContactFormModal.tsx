import { Checkbox, Divider, Flex, Form, Input, Modal } from "antd";
import type { ReactNode } from "react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useFieldRules } from "../../app/session";
import { LoadError } from "../../components/StatusResults";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { useCustomFields } from "../custom-fields/custom-fields-api";
import { CustomFieldInput } from "../customers/CustomFieldInput";
import type { CustomFieldDefinition } from "../customers/customer-types";
import { writable } from "../customers/custom-form-values";
import {
  buildContactChanges,
  CONTACT_TEXT_FIELDS as TEXT_FIELDS,
  contactFieldErrors,
  type ContactFormValues as Values,
  type ContactTextField as TextField,
  initialContactValues,
} from "./contact-form-values";
import { useSaveContact } from "./customer-360-api";
import type { Contact } from "./customer-360-types";

interface ContactFormModalProps {
  customerId: string;
  contact: Contact | null;
  onClose: () => void;
}

/** Adds or edits a contact (联系人), custom fields included; only changed fields are sent on edit. */
export function ContactFormModal(props: ContactFormModalProps) {
  const { t } = useTranslation();
  const fields = useCustomFields("contact");
  if (fields.data) {
    return <ContactForm {...props} definitions={fields.data.data} />;
  }
  // The form's initial values need the definitions: wait for them instead of mounting half a form.
  return (
    <Modal
      open
      title={props.contact ? t("customer360.contacts.editTitle") : t("customer360.contacts.addTitle")}
      onCancel={props.onClose}
      footer={null}
      loading={fields.isPending}
    >
      {fields.isError ? <LoadError onRetry={() => void fields.refetch()} /> : null}
    </Modal>
  );
}

function ContactForm({ customerId, contact, onClose, definitions }: ContactFormModalProps & { definitions: readonly CustomFieldDefinition[] }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const rule = useFieldRules("contact");
  const [form] = Form.useForm<Values>();
  const [initial] = useState(() => initialContactValues(contact, definitions));
  const save = useSaveContact(customerId);
  // Hidden fields stay off the form; read-only and masked ones show disabled and are never sent.
  const visibleCustom = definitions.filter((definition) => rule(`cf.${definition.key}`).access !== "hidden");

  const submit = async () => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const changes = buildContactChanges(values, contact, initial, { fields: definitions, rule });
    try {
      if (contact === null || Object.keys(changes).length > 0) {
        await save.mutateAsync({ contact, changes });
      }
      notify.success(t("common.saved"));
      onClose();
    } catch (error) {
      const fieldErrors = contactFieldErrors(error);
      if (fieldErrors.length > 0) {
        form.setFields(fieldErrors.map((entry) => ({ name: entry.name as never, errors: entry.errors })));
      } else {
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
        {visibleCustom.length > 0 ? (
          <>
            <Divider titlePlacement="start" plain>
              {t("customer360.contacts.customSection")}
            </Divider>
            {visibleCustom.map((definition) => (
              <CustomFieldInput key={definition.key} field={definition} readOnly={!writable(rule(`cf.${definition.key}`))} testIdPrefix="contact-form" />
            ))}
          </>
        ) : null}
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
