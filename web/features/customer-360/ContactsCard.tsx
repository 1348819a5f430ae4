import { MailOutlined, PhoneOutlined, PlusOutlined, StarFilled, WechatOutlined } from "@ant-design/icons";
import { Button, Card, Divider, Empty, Flex, Popconfirm, Tag, Typography } from "antd";
import { Fragment, useState } from "react";
import { useTranslation } from "react-i18next";
import { useCan } from "../../app/session";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { useCustomFields } from "../custom-fields/custom-fields-api";
import type { CustomFieldDefinition } from "../customers/customer-types";
import { ContactFormModal } from "./ContactFormModal";
import { useDeleteContact, useUpdateCustomer } from "./customer-360-api";
import type { Contact, Customer } from "./customer-360-types";
import { formatCustomValue } from "./field-format";

type Editing = { contact: Contact | null } | null;

/** The contact's custom values that are filled in (hidden ones never reach the browser). */
function ContactCustomValues({ contact, definitions }: { contact: Contact; definitions: readonly CustomFieldDefinition[] }) {
  const { t } = useTranslation();
  const filled = definitions.filter((definition) => {
    const value = contact.custom[definition.key];
    return value !== undefined && value !== null && value !== "" && !(Array.isArray(value) && value.length === 0);
  });
  if (filled.length === 0) {
    return null;
  }
  return (
    <Flex gap={12} wrap>
      {filled.map((definition) => (
        <Typography.Text key={definition.key} type="secondary" data-testid={`contact-cf-${definition.key}`}>
          {definition.label}: {formatCustomValue(definition, contact.custom[definition.key], t("customer360.yes"), t("customer360.no"))}
        </Typography.Text>
      ))}
    </Flex>
  );
}

function ContactRow({
  contact,
  definitions,
  canSetPrimary,
  onEdit,
  onSetPrimary,
  onDelete,
}: {
  contact: Contact;
  definitions: readonly CustomFieldDefinition[];
  canSetPrimary: boolean;
  onEdit: () => void;
  onSetPrimary: () => void;
  onDelete: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const subtitle = [contact.title, contact.department].filter((part) => part).join(" · ");
  return (
    <Flex vertical gap={4} data-testid="contact-item" data-id={contact.id}>
      <Flex align="center" gap={6} wrap>
        <Typography.Text strong data-testid="contact-name">
          {contact.name}
        </Typography.Text>
        {contact.isPrimary ? (
          <Tag color="gold" icon={<StarFilled />} data-testid="contact-primary">
            {t("customer360.contacts.primary")}
          </Tag>
        ) : null}
        {contact.isDecisionMaker ? <Tag color="purple">{t("customer360.contacts.decisionMaker")}</Tag> : null}
      </Flex>
      {subtitle ? <Typography.Text type="secondary">{subtitle}</Typography.Text> : null}
      <Flex gap={12} wrap>
        {contact.phone ? (
          <Typography.Text copyable={{ text: contact.phone }}>
            <PhoneOutlined /> {contact.phone}
          </Typography.Text>
        ) : null}
        {contact.email ? (
          <Typography.Text>
            <MailOutlined /> {contact.email}
          </Typography.Text>
        ) : null}
        {contact.wechat ? (
          <Typography.Text>
            <WechatOutlined /> {contact.wechat}
          </Typography.Text>
        ) : null}
      </Flex>
      <ContactCustomValues contact={contact} definitions={definitions} />
      <Flex gap={0} wrap style={{ marginInlineStart: -8 }}>
        {contact.access.edit ? (
          <Button type="link" size="small" onClick={onEdit} data-testid="contact-edit">
            {t("common.edit")}
          </Button>
        ) : null}
        {canSetPrimary && !contact.isPrimary ? (
          <Button type="link" size="small" onClick={onSetPrimary} data-testid="contact-set-primary">
            {t("customer360.contacts.setPrimary")}
          </Button>
        ) : null}
        {contact.access.delete ? (
          <Popconfirm
            title={t("customer360.contacts.confirmDelete", { name: contact.name })}
            okText={t("common.delete")}
            cancelText={t("common.cancel")}
            okButtonProps={{ danger: true, ...testId("confirm-ok") }}
            onConfirm={onDelete}
            destroyOnHidden
          >
            <Button type="link" size="small" danger data-testid="contact-delete">
              {t("common.delete")}
            </Button>
          </Popconfirm>
        ) : null}
      </Flex>
    </Flex>
  );
}

export function ContactsCard({ customer, contacts }: { customer: Customer; contacts: Contact[] }) {
  const { t } = useTranslation();
  const can = useCan();
  const notify = useNotify();
  const [editing, setEditing] = useState<Editing>(null);
  const updateCustomer = useUpdateCustomer(customer.id);
  const deleteContact = useDeleteContact(customer.id);
  const canAdd = can("contact:create") && !customer.deletedAt;
  const customFields = useCustomFields("contact");

  const setPrimary = async (contact: Contact) => {
    try {
      await updateCustomer.mutateAsync({ version: customer.version, changes: { primaryContactId: contact.id } });
      notify.success(t("customer360.contacts.primarySet", { name: contact.name }));
    } catch (error) {
      notify.error(error);
    }
  };

  const remove = async (contact: Contact) => {
    try {
      await deleteContact.mutateAsync(contact.id);
      notify.success(t("customer360.contacts.deleted"));
    } catch (error) {
      notify.error(error);
    }
  };

  return (
    <Card
      title={t("customer360.contacts.title", { count: contacts.length })}
      data-testid="contacts-card"
      extra={
        canAdd ? (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing({ contact: null })} data-testid="contact-add">
            {t("customer360.contacts.add")}
          </Button>
        ) : null
      }
    >
      {contacts.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("customer360.contacts.empty")} />
      ) : (
        contacts.map((contact, index) => (
          <Fragment key={contact.id}>
            {index > 0 ? <Divider style={{ margin: "12px 0" }} /> : null}
            <ContactRow
              contact={contact}
              definitions={customFields.data?.data ?? []}
              canSetPrimary={customer.access.edit}
              onEdit={() => setEditing({ contact })}
              onSetPrimary={() => void setPrimary(contact)}
              onDelete={() => remove(contact)}
            />
          </Fragment>
        ))
      )}
      {editing ? (
        <ContactFormModal customerId={customer.id} contact={editing.contact} onClose={() => setEditing(null)} />
      ) : null}
    </Card>
  );
}
