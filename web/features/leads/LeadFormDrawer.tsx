import { Button, Col, DatePicker, Drawer, Flex, Form, Input, Row, Select } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { type ReactNode, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useCan, useFieldRules, useSession } from "../../app/session";
import { applyServerFieldErrors } from "../../components/form-errors";
import { useNotify } from "../../components/use-notify";
import { customChanges, customFormValues } from "../custom-fields/custom-values";
import { applyCustomFieldErrors, CustomFieldsSection, useEntityCustomFields } from "../custom-fields/EntityCustomFields";
import type { FormCustomValue } from "../customers/custom-form-values";
import { UserPicker } from "../customers/UserPicker";
import { PicklistSelect } from "../picklists/PicklistSelect";
import { useCreateLead, useUpdateLead } from "./leads-api";
import { EDITABLE_STATUSES, type Lead, type LeadInput } from "./leads-types";

interface FormValues {
  name: string;
  company?: string | null;
  phone?: string | null;
  email?: string | null;
  title?: string | null;
  source?: string | null;
  industry?: string | null;
  address?: string | null;
  remark?: string | null;
  status?: string;
  nextFollowupAt?: Dayjs | null;
  ownerId?: string | null;
  custom?: Record<string, FormCustomValue>;
}

const PHONE = /^\+?[0-9][0-9 ()-]{3,38}$/;
const TEXT_FIELDS = ["company", "phone", "email", "title", "source", "industry", "address", "remark"] as const;
const FORM_FIELDS = ["name", ...TEXT_FIELDS, "status", "nextFollowupAt", "ownerId"];

/** Create or edit a lead, as the viewer's field permissions allow (hidden: absent; read-only or masked: disabled). */
export function LeadFormDrawer({ lead, onClose, onSaved }: { lead: Lead | null; onClose: () => void; onSaved?: (lead: Lead) => void }) {
  const { t } = useTranslation();
  const me = useSession();
  const can = useCan();
  const rule = useFieldRules("lead");
  const notify = useNotify();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateLead();
  const update = useUpdateLead();
  const customFields = useEntityCustomFields("lead");
  const { definitions } = customFields;
  const writable = (field: string) => rule(field).access === "edit" && !rule(field).masked;
  const canAssign = can("lead:assign") && writable("owner") && can("user:view");

  const initial: FormValues = {
    name: lead?.name ?? "",
    company: lead?.company ?? null,
    phone: lead?.phone ?? null,
    email: lead?.email ?? null,
    title: lead?.title ?? null,
    source: lead?.source ?? null,
    industry: lead?.industry ?? null,
    address: lead?.address ?? null,
    remark: lead?.remark ?? null,
    status: lead?.status ?? "new",
    nextFollowupAt: lead?.nextFollowupAt ? dayjs(lead.nextFollowupAt) : null,
  };

  useEffect(() => {
    // Custom controls render only once their definitions are here, so filling them then loses no typing.
    form.setFieldsValue({ custom: customFormValues(definitions, lead ? lead.custom : null) });
  }, [definitions, lead, form]);

  const submit = async () => {
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const input: LeadInput = {};
    const blank = (v: string | null | undefined) => (v === undefined || v === null || v.trim() === "" ? null : v.trim());
    if (!lead || values.name !== lead.name) {
      input.name = values.name.trim();
    }
    for (const key of TEXT_FIELDS) {
      if (!writable(key)) {
        continue;
      }
      const next = blank(values[key]);
      if (!lead ? next !== null : next !== (lead[key] ?? null)) {
        input[key] = next;
      }
    }
    const next = values.nextFollowupAt ? values.nextFollowupAt.toISOString() : null;
    if (!lead ? next !== null : next !== lead.nextFollowupAt) {
      input.nextFollowupAt = next;
    }
    if (values.status && (!lead || values.status !== lead.status)) {
      input.status = values.status;
    }
    if (!lead && canAssign && values.ownerId) {
      input.ownerId = values.ownerId;
    }
    const custom = customChanges(definitions, values.custom, lead ? lead.custom : null, customFields.rule);
    if (custom) {
      input.custom = custom;
    }
    try {
      let saved: Lead;
      if (lead) {
        if (Object.keys(input).length === 0) {
          onClose();
          return;
        }
        saved = await update.mutateAsync({ lead, changes: input });
      } else {
        saved = await create.mutateAsync(input);
      }
      notify.success(lead ? t("common.saved") : t("leads.form.created", { name: saved.name }));
      onSaved?.(saved);
      onClose();
    } catch (error) {
      const onFields = applyServerFieldErrors(form, error, FORM_FIELDS);
      if (!applyCustomFieldErrors(form, error) && !onFields) {
        notify.error(error);
      }
    }
  };

  const field = (name: (typeof TEXT_FIELDS)[number], node: (disabled: boolean) => ReactNode) =>
    rule(name).access === "hidden" ? null : <Col xs={24} md={12}>{node(!writable(name))}</Col>;

  return (
    <Drawer
      open
      onClose={onClose}
      size={640}
      title={lead ? t("leads.form.editTitle") : t("leads.form.createTitle")}
      destroyOnHidden
      data-testid="lead-form-drawer"
      extra={
        <Flex gap={8}>
          <Button onClick={onClose} data-testid="lead-form-cancel">
            {t("common.cancel")}
          </Button>
          <Button type="primary" loading={create.isPending || update.isPending} onClick={() => void submit()} data-testid="lead-form-submit">
            {t("common.save")}
          </Button>
        </Flex>
      }
    >
      <Form<FormValues> form={form} layout="vertical" initialValues={initial} data-testid="lead-form" onFinish={() => void submit()}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t("leads.field.name")} rules={[{ required: true, whitespace: true, message: t("validation.required") }, { max: 100 }]}>
              <Input data-testid="lead-form-name" maxLength={100} autoFocus />
            </Form.Item>
          </Col>
          {field("company", (disabled) => (
            <Form.Item name="company" label={t("leads.field.company")} rules={[{ max: 200 }]}>
              <Input data-testid="lead-form-company" disabled={disabled} />
            </Form.Item>
          ))}
          {field("phone", (disabled) => (
            <Form.Item name="phone" label={t("leads.field.phone")} rules={disabled ? [] : [{ pattern: PHONE, message: t("leads.form.invalidPhone") }]}>
              <Input data-testid="lead-form-phone" disabled={disabled} />
            </Form.Item>
          ))}
          {field("email", (disabled) => (
            <Form.Item name="email" label={t("leads.field.email")} rules={disabled ? [] : [{ type: "email", message: t("validation.email") }]}>
              <Input data-testid="lead-form-email" disabled={disabled} autoComplete="off" />
            </Form.Item>
          ))}
          {field("title", (disabled) => (
            <Form.Item name="title" label={t("leads.field.title")} rules={[{ max: 100 }]}>
              <Input data-testid="lead-form-title" disabled={disabled} />
            </Form.Item>
          ))}
          {field("source", (disabled) => (
            <Form.Item name="source" label={t("leads.field.source")}>
              <PicklistSelect list="customer.source" testId="lead-form-source" disabled={disabled} />
            </Form.Item>
          ))}
          {field("industry", (disabled) => (
            <Form.Item name="industry" label={t("leads.field.industry")}>
              <PicklistSelect list="customer.industry" testId="lead-form-industry" disabled={disabled} />
            </Form.Item>
          ))}
          <Col xs={24} md={12}>
            <Form.Item name="status" label={t("leads.field.status")}>
              <Select data-testid="lead-form-status" options={EDITABLE_STATUSES.map((s) => ({ value: s, label: t(`leads.status.${s}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="nextFollowupAt" label={t("leads.field.nextFollowupAt")}>
              <DatePicker showTime style={{ width: "100%" }} data-testid="lead-form-next" />
            </Form.Item>
          </Col>
          {!lead && canAssign ? (
            <Col xs={24} md={12}>
              <Form.Item name="ownerId" label={t("leads.field.owner")} extra={t("leads.form.ownerHint")}>
                <UserPicker testId="lead-form-owner" knownLabels={{ [me.user.id]: me.user.name }} />
              </Form.Item>
            </Col>
          ) : null}
          {field("address", (disabled) => (
            <Form.Item name="address" label={t("leads.field.address")} rules={[{ max: 300 }]}>
              <Input data-testid="lead-form-address" disabled={disabled} />
            </Form.Item>
          ))}
          {rule("remark").access === "hidden" ? null : (
            <Col span={24}>
              <Form.Item name="remark" label={t("leads.field.remark")} rules={[{ max: 5000 }]}>
                <Input.TextArea rows={3} data-testid="lead-form-remark" disabled={!writable("remark")} />
              </Form.Item>
            </Col>
          )}
        </Row>
        <CustomFieldsSection fields={customFields} title={t("leads.form.customSection")} testIdPrefix="lead-form" />
      </Form>
    </Drawer>
  );
}
