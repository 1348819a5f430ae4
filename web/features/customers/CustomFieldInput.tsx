import { DatePicker, Form, Input, InputNumber, Radio, Select, Tag } from "antd";
import type { FormRule } from "antd";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { CustomFieldDefinition } from "./customer-types";
import { UserPicker } from "./UserPicker";

const PHONE = /^\+?[0-9][0-9 ()-]{3,38}$/;
const URL = /^https?:\/\/\S+$/i;

function rulesFor(field: CustomFieldDefinition, t: TFunction, enforce: boolean): FormRule[] {
  if (!enforce) {
    return [];
  }
  const rules: FormRule[] = [];
  if (field.required) {
    rules.push({ required: true, message: t("validation.required"), whitespace: field.type !== "boolean" });
  }
  if (field.type === "email") {
    rules.push({ type: "email", message: t("validation.email") });
  } else if (field.type === "phone") {
    rules.push({ pattern: PHONE, message: t("customers.form.invalidPhone") });
  } else if (field.type === "url") {
    rules.push({ pattern: URL, message: t("customers.form.invalidUrl") });
  } else if (field.type === "text") {
    rules.push({ max: 500, message: t("customers.form.tooLong", { max: 500 }) });
  }
  return rules;
}

function control(field: CustomFieldDefinition, disabled: boolean, testId: string, t: TFunction) {
  const options = field.options.map((o) => ({
    value: o.value,
    label: o.color ? <Tag color={o.color}>{o.label}</Tag> : o.label,
    title: o.label,
  }));
  switch (field.type) {
    case "longText":
      return <Input.TextArea rows={3} maxLength={10_000} disabled={disabled} data-testid={testId} />;
    case "number":
      return <InputNumber style={{ width: "100%" }} disabled={disabled} data-testid={testId} />;
    case "money":
      return <InputNumber<string> stringMode precision={2} style={{ width: "100%" }} disabled={disabled} data-testid={testId} />;
    case "date":
      return <DatePicker style={{ width: "100%" }} disabled={disabled} data-testid={testId} />;
    case "datetime":
      return <DatePicker showTime style={{ width: "100%" }} disabled={disabled} data-testid={testId} />;
    case "singleSelect":
      return <Select options={options} allowClear showSearch={{ optionFilterProp: "title" }} disabled={disabled} data-testid={testId} />;
    case "multiSelect":
      return <Select mode="multiple" options={options} allowClear showSearch={{ optionFilterProp: "title" }} disabled={disabled} data-testid={testId} />;
    case "user":
      return <UserPicker disabled={disabled} testId={testId} />;
    case "boolean":
      return (
        <Radio.Group disabled={disabled} data-testid={testId} optionType="button">
          <Radio value={true}>{t("customers.yes")}</Radio>
          <Radio value={false}>{t("customers.no")}</Radio>
        </Radio.Group>
      );
    case "email":
      return <Input type="email" disabled={disabled} data-testid={testId} autoComplete="off" />;
    case "url":
      return <Input placeholder="https://" disabled={disabled} data-testid={testId} />;
    default:
      return <Input disabled={disabled} data-testid={testId} />;
  }
}

interface CustomFieldInputProps {
  field: CustomFieldDefinition;
  /** Read-only or masked for this user: shown, not editable, not validated. */
  readOnly: boolean;
  /** Test ids are `<prefix>-cf-<key>`; the contact form shares this control. */
  testIdPrefix?: string;
}

/** One custom field as a form item (`custom.<key>`), with the editor and rules of its type. */
export function CustomFieldInput({ field, readOnly, testIdPrefix = "customer-form" }: CustomFieldInputProps) {
  const { t } = useTranslation();
  return (
    <Form.Item
      name={["custom", field.key]}
      label={field.label}
      rules={rulesFor(field, t, !readOnly)}
      required={field.required && !readOnly}
      data-testid={`${testIdPrefix}-cf-item-${field.key}`}
    >
      {control(field, readOnly, `${testIdPrefix}-cf-${field.key}`, t)}
    </Form.Item>
  );
}
