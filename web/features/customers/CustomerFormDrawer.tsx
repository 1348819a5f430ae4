import { Button, Col, Divider, Drawer, Flex, Form, Input, Radio, Row, Select, theme, Typography } from "antd";
import type { CSSProperties } from "react";
import type { ReactNode } from "react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCan, useFieldRules, useSession } from "../../app/session";
import { LoadError } from "../../components/StatusResults";
import { useNotify } from "../../components/use-notify";
import { useCustomFields } from "../custom-fields/custom-fields-api";
import { PicklistSelect } from "../picklists/PicklistSelect";
import { TagSelect } from "../tags/TagSelect";
import {
  applyCustomerErrors,
  buildCreateInput,
  buildUpdate,
  type CustomerFormValues,
  initialFormValues,
  writable,
} from "./customer-form-values";
import { CUSTOMER_KINDS, type Customer, LIFECYCLE_STAGES } from "./customer-types";
import { useCreateCustomer, useUpdateCustomer } from "./customers-api";
import { CustomFieldInput } from "./CustomFieldInput";
import { DuplicateMatches } from "./DuplicateMatches";
import { UserPicker } from "./UserPicker";

const stickyFooter: CSSProperties = { position: "sticky", bottom: -24, zIndex: 2, marginTop: 8, padding: "12px 0 24px" };

interface CustomerFormDrawerProps {
  /** null: a new customer. */
  customer: Customer | null;
  onClose: () => void;
  onSaved?: (customer: Customer) => void;
}

const PHONE = /^\+?[0-9][0-9 ()-]{3,38}$/;
const WEBSITE = /^(https?:\/\/)?[\w.-]+\.[a-z]{2,}(\/\S*)?$/i;

/** Create or edit a customer: built-in and custom fields, as the viewer's field permissions allow. */
export function CustomerFormDrawer({ customer, onClose, onSaved }: CustomerFormDrawerProps) {
  const fields = useCustomFields("customer");
  const { t } = useTranslation();
  if (fields.isError) {
    return (
      <Drawer open onClose={onClose} size={720} title={customer ? t("customers.form.editTitle") : t("customers.form.createTitle")}>
        <LoadError onRetry={() => void fields.refetch()} />
      </Drawer>
    );
  }
  return (
    <Drawer
      open
      onClose={onClose}
      size={720}
      title={customer ? t("customers.form.editTitle") : t("customers.form.createTitle")}
      loading={fields.isPending}
      destroyOnHidden
      data-testid="customer-form-drawer"
    >
      {fields.data ? <CustomerForm customer={customer} definitions={fields.data.data} onClose={onClose} onSaved={onSaved} /> : null}
    </Drawer>
  );
}

function CustomerForm({
  customer,
  definitions,
  onClose,
  onSaved,
}: CustomerFormDrawerProps & { definitions: NonNullable<ReturnType<typeof useCustomFields>["data"]>["data"] }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const me = useSession();
  const can = useCan();
  const notify = useNotify();
  const rule = useFieldRules("customer");
  const contactRule = useFieldRules("contact");
  // The first contact's fields obey the contact's field rules (the server refuses the others).
  const contactEditable = (field: string) => contactRule(field).access === "edit" && !contactRule(field).masked;
  const [form] = Form.useForm<CustomerFormValues>();
  const createCustomer = useCreateCustomer();
  const updateCustomer = useUpdateCustomer();
  const [initial] = useState(() => initialFormValues(customer, definitions, me.user.id));
  const [withContact, setWithContact] = useState(false);
  const name = Form.useWatch("name", form);
  const phone = Form.useWatch("phone", form);
  const email = Form.useWatch("email", form);
  const saving = createCustomer.isPending || updateCustomer.isPending;
  const canAssign = can("customer:assign") && writable(rule("owner")) && can("user:view");
  const visibleCustom = definitions.filter((field) => rule(`cf.${field.key}`).access !== "hidden");

  const submit = async () => {
    let values: CustomerFormValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const ctx = { rule, fields: definitions };
    try {
      let saved: Customer;
      if (customer) {
        const { changes, tags } = buildUpdate(values, customer, ctx);
        saved = await updateCustomer.mutateAsync({ customer, changes, tags });
      } else {
        saved = await createCustomer.mutateAsync(buildCreateInput(values, { ...ctx, canAssign, meId: me.user.id }));
      }
      notify.success(customer ? t("common.saved") : t("customers.form.created", { name: saved.name }));
      onSaved?.(saved);
      onClose();
    } catch (error) {
      if (!applyCustomerErrors(form, error)) {
        notify.error(error);
      }
    }
  };

  /** Field permissions: hidden fields are absent; read-only and masked ones are shown disabled. */
  const field = (permission: string, render: (readOnly: boolean) => ReactNode) => {
    const fieldRule = rule(permission);
    if (fieldRule.access === "hidden") {
      return null;
    }
    return render(!writable(fieldRule));
  };

  const half = (node: ReactNode) => (node ? <Col xs={24} md={12}>{node}</Col> : null);

  return (
    <Form<CustomerFormValues> form={form} layout="vertical" initialValues={initial} data-testid="customer-form" onFinish={() => void submit()}>
      {/* Masked or read-only values are not what the user typed: only writable ones are checked. */}
      <DuplicateMatches
        name={name}
        phone={writable(rule("phone")) ? phone : undefined}
        email={writable(rule("email")) ? email : undefined}
        excludeId={customer?.id}
      />
      <Row gutter={16}>
        <Col xs={24} md={16}>
          <Form.Item name="name" label={t("customers.field.name")} rules={[{ required: true, whitespace: true, message: t("validation.required") }, { max: 200 }]}>
            <Input data-testid="customer-form-name" maxLength={200} autoFocus />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="kind" label={t("customers.field.kind")}>
            <Radio.Group optionType="button" data-testid="customer-form-kind" options={CUSTOMER_KINDS.map((kind) => ({ value: kind, label: t(`customers.enum.kind.${kind}`) }))} />
          </Form.Item>
        </Col>
        {half(
          field("phone", (readOnly) => (
            <Form.Item name="phone" label={t("customers.field.phone")} rules={readOnly ? [] : [{ pattern: PHONE, message: t("customers.form.invalidPhone") }]}>
              <Input data-testid="customer-form-phone" disabled={readOnly} />
            </Form.Item>
          )),
        )}
        {half(
          field("email", (readOnly) => (
            <Form.Item name="email" label={t("customers.field.email")} rules={readOnly ? [] : [{ type: "email", message: t("validation.email") }]}>
              <Input data-testid="customer-form-email" disabled={readOnly} autoComplete="off" />
            </Form.Item>
          )),
        )}
        {half(
          field("level", (readOnly) => (
            <Form.Item name="level" label={t("customers.field.level")}>
              <PicklistSelect list="customer.level" testId="customer-form-level" disabled={readOnly} />
            </Form.Item>
          )),
        )}
        {half(
          field("lifecycleStage", (readOnly) => (
            <Form.Item name="lifecycleStage" label={t("customers.field.lifecycleStage")}>
              <Select
                options={LIFECYCLE_STAGES.map((stage) => ({ value: stage, label: t(`customers.enum.lifecycleStage.${stage}`) }))}
                data-testid="customer-form-stage"
                disabled={readOnly}
              />
            </Form.Item>
          )),
        )}
        {half(
          field("source", (readOnly) => (
            <Form.Item name="source" label={t("customers.field.source")}>
              <PicklistSelect list="customer.source" testId="customer-form-source" disabled={readOnly} />
            </Form.Item>
          )),
        )}
        {half(
          field("industry", (readOnly) => (
            <Form.Item name="industry" label={t("customers.field.industry")}>
              <PicklistSelect list="customer.industry" testId="customer-form-industry" disabled={readOnly} />
            </Form.Item>
          )),
        )}
        {half(
          field("owner", () =>
            customer ? (
              <Form.Item label={t("customers.field.owner")}>
                <Input value={customer.ownerName ?? t("customers.pool")} disabled data-testid="customer-form-owner" />
              </Form.Item>
            ) : canAssign ? (
              <Form.Item name="ownerId" label={t("customers.field.owner")} extra={t("customers.form.ownerHint")}>
                <UserPicker testId="customer-form-owner" knownLabels={{ [me.user.id]: me.user.name }} />
              </Form.Item>
            ) : null,
          ),
        )}
        {half(
          field("tags", (readOnly) => (
            <Form.Item name="tagIds" label={t("customers.field.tags")}>
              <TagSelect testId="customer-form-tags" disabled={readOnly} />
            </Form.Item>
          )),
        )}
        {half(
          field("website", (readOnly) => (
            <Form.Item name="website" label={t("customers.field.website")} rules={readOnly ? [] : [{ pattern: WEBSITE, message: t("customers.form.invalidUrl") }]}>
              <Input data-testid="customer-form-website" disabled={readOnly} placeholder="https://" />
            </Form.Item>
          )),
        )}
      </Row>
      {field("address", (readOnly) => (
        <>
          <Divider titlePlacement="start" plain>
            {t("customers.form.addressSection")}
          </Divider>
          <Row gutter={16}>
            {(["province", "city", "district"] as const).map((key) => (
              <Col xs={24} md={8} key={key}>
                <Form.Item name={key} label={t(`customers.field.${key}`)}>
                  <Input data-testid={`customer-form-${key}`} disabled={readOnly} maxLength={64} />
                </Form.Item>
              </Col>
            ))}
          </Row>
          <Form.Item name="address" label={t("customers.field.address")}>
            <Input data-testid="customer-form-address" disabled={readOnly} maxLength={300} />
          </Form.Item>
        </>
      ))}
      {visibleCustom.length > 0 ? (
        <>
          <Divider titlePlacement="start" plain>
            {t("customers.form.customSection")}
          </Divider>
          <Row gutter={16}>
            {visibleCustom.map((definition) => (
              <Col xs={24} md={definition.type === "longText" ? 24 : 12} key={definition.key}>
                <CustomFieldInput field={definition} readOnly={!writable(rule(`cf.${definition.key}`))} />
              </Col>
            ))}
          </Row>
        </>
      ) : null}
      {field("remark", (readOnly) => (
        <Form.Item name="remark" label={t("customers.field.remark")}>
          <Input.TextArea rows={3} maxLength={5000} data-testid="customer-form-remark" disabled={readOnly} />
        </Form.Item>
      ))}
      {customer === null ? (
        <>
          <Divider titlePlacement="start" plain>
            {t("customers.form.contactSection")}
          </Divider>
          {withContact ? (
            <Row gutter={16} data-testid="customer-form-contact">
              <Col xs={24} md={12}>
                <Form.Item name={["contact", "name"]} label={t("customers.form.contactName")} rules={[{ required: true, whitespace: true, message: t("validation.required") }]}>
                  <Input data-testid="customer-form-contact-name" maxLength={100} />
                </Form.Item>
              </Col>
              {contactEditable("title") ? (
                <Col xs={24} md={12}>
                  <Form.Item name={["contact", "title"]} label={t("customers.form.contactTitle")}>
                    <Input data-testid="customer-form-contact-title" maxLength={100} />
                  </Form.Item>
                </Col>
              ) : null}
              {contactEditable("phone") ? (
                <Col xs={24} md={12}>
                  <Form.Item name={["contact", "phone"]} label={t("customers.field.phone")} rules={[{ pattern: PHONE, message: t("customers.form.invalidPhone") }]}>
                    <Input data-testid="customer-form-contact-phone" />
                  </Form.Item>
                </Col>
              ) : null}
              {contactEditable("email") ? (
                <Col xs={24} md={12}>
                  <Form.Item name={["contact", "email"]} label={t("customers.field.email")} rules={[{ type: "email", message: t("validation.email") }]}>
                    <Input data-testid="customer-form-contact-email" />
                  </Form.Item>
                </Col>
              ) : null}
            </Row>
          ) : (
            <Button type="dashed" block onClick={() => setWithContact(true)} data-testid="customer-form-add-contact" style={{ marginBottom: 16 }}>
              {t("customers.form.addContact")}
            </Button>
          )}
        </>
      ) : null}
      {/* Stays in view at the bottom of the drawer: a long form (custom fields) need not be scrolled to save. */}
      <Flex justify="space-between" align="center" style={{ ...stickyFooter, background: token.colorBgElevated, borderTop: `1px solid ${token.colorSplit}` }}>
        <Typography.Text type="secondary">{customer ? t("customers.form.editHint") : null}</Typography.Text>
        <Flex gap={8}>
          <Button onClick={onClose} data-testid="customer-form-cancel">
            {t("common.cancel")}
          </Button>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="customer-form-submit">
            {t("common.save")}
          </Button>
        </Flex>
      </Flex>
    </Form>
  );
}
