import { Alert, Checkbox, Col, Form, Input, Modal, Row, Select } from "antd";
import { useTranslation } from "react-i18next";
import { customFieldKeyPattern, type CustomFieldType, customFieldTypes } from "../../../common/custom-fields";
import { applyServerFieldErrors } from "../../components/form-errors";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import type { CustomFieldDefinition } from "../customers/customer-types";
import { newRowId, OptionListEditor, type OptionRow, optionRowsError } from "../picklists/OptionListEditor";
import { type CustomizableEntity, useCreateCustomField, useUpdateCustomField } from "./custom-fields-api";

interface FieldValues {
  key: string;
  label: string;
  type: CustomFieldType;
  required: boolean;
  unique: boolean;
  options: OptionRow[];
}

const SELECT_TYPES: readonly CustomFieldType[] = ["singleSelect", "multiSelect"];
/** Unique values are checked on scalar types only (the server compares single values). */
const UNIQUE_TYPES: readonly CustomFieldType[] = ["text", "number", "phone", "email", "url", "date"];

/** A key from a label: lowercase ASCII, digits and _, starting with a letter. */
function keyFrom(label: string): string {
  const base = label
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[^a-z]+/, "")
    .replace(/_+$/, "")
    .slice(0, 40);
  return base;
}

interface CustomFieldFormModalProps {
  entity: CustomizableEntity;
  field: CustomFieldDefinition | null;
  onClose: () => void;
}

/** Adds a field (key, label, type, flags, options) or changes one (label, flags, options: key and type are fixed). */
export function CustomFieldFormModal({ entity, field, onClose }: CustomFieldFormModalProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<FieldValues>();
  const createField = useCreateCustomField(entity);
  const updateField = useUpdateCustomField(entity);
  const type = Form.useWatch("type", form) ?? field?.type ?? "text";
  const label = Form.useWatch("label", form);
  const isSelect = SELECT_TYPES.includes(type);

  const initial: FieldValues = {
    key: field?.key ?? "",
    label: field?.label ?? "",
    type: field?.type ?? "text",
    required: field?.required ?? false,
    unique: field?.unique ?? false,
    options: (field?.options ?? []).map((o) => ({ rowId: newRowId(), value: o.value, label: o.label, color: o.color ?? null, active: true, saved: true })),
  };

  const submit = async () => {
    let values: FieldValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const options = isSelect ? values.options.map((o) => ({ value: o.value.trim(), label: o.label.trim(), ...(o.color ? { color: o.color } : {}) })) : [];
    const unique = UNIQUE_TYPES.includes(values.type) ? values.unique : false;
    try {
      if (field) {
        await updateField.mutateAsync({
          id: field.id,
          changes: { label: values.label.trim(), required: values.required, unique, ...(isSelect ? { options } : {}) },
        });
      } else {
        await createField.mutateAsync({ key: values.key.trim(), label: values.label.trim(), type: values.type, required: values.required, unique, options });
      }
      notify.success(t("common.saved"));
      onClose();
    } catch (error) {
      if (!applyServerFieldErrors(form, error, ["key", "label", "type", "required", "unique", "options"])) {
        notify.error(error);
      }
    }
  };

  return (
    <Modal
      open
      width={720}
      title={field ? t("customFields.editTitle", { label: field.label }) : t("customFields.createTitle")}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={createField.isPending || updateField.isPending}
      okButtonProps={testId("custom-field-form-submit")}
      destroyOnHidden
    >
      <Form<FieldValues>
        form={form}
        layout="vertical"
        initialValues={initial}
        data-testid="custom-field-form"
        onValuesChange={(changed: Partial<FieldValues>) => {
          // A new field's key follows its label until the admin types one.
          if (!field && changed.label !== undefined) {
            const current = form.getFieldValue("key") as string;
            if (current === "" || current === keyFrom(label ?? "")) {
              form.setFieldValue("key", keyFrom(changed.label));
            }
          }
        }}
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="label" label={t("customFields.label")} rules={[{ required: true, whitespace: true, message: t("validation.required") }, { max: 100 }]}>
              <Input maxLength={100} autoFocus data-testid="custom-field-form-label" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="key"
              label={t("customFields.key")}
              extra={field ? t("customFields.keyFixed") : t("customFields.keyHint")}
              rules={field ? [] : [{ required: true, message: t("validation.required") }, { pattern: customFieldKeyPattern, message: t("customFields.keyInvalid") }]}
            >
              <Input disabled={field !== null} maxLength={40} data-testid="custom-field-form-key" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="type" label={t("customFields.type")} extra={field ? t("customFields.typeFixed") : null}>
              <Select
                disabled={field !== null}
                options={customFieldTypes.map((value) => ({ value, label: t(`customFields.types.${value}`) }))}
                data-testid="custom-field-form-type"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={t("customFields.flags")}>
              <Form.Item name="required" valuePropName="checked" noStyle>
                <Checkbox data-testid="custom-field-form-required">{t("customFields.required")}</Checkbox>
              </Form.Item>
              <Form.Item name="unique" valuePropName="checked" noStyle>
                <Checkbox disabled={!UNIQUE_TYPES.includes(type)} data-testid="custom-field-form-unique">
                  {t("customFields.unique")}
                </Checkbox>
              </Form.Item>
            </Form.Item>
          </Col>
        </Row>
        {isSelect ? (
          <Form.Item
            name="options"
            label={t("customFields.options")}
            rules={[
              {
                validator: (_rule, rows: OptionRow[] | undefined) => {
                  const error = optionRowsError(rows ?? []);
                  return error === null || error === "optionsBadValue" ? Promise.resolve() : Promise.reject(new Error(t(`picklists.${error}`)));
                },
              },
            ]}
          >
            <OptionListEditor testId="custom-field-option" />
          </Form.Item>
        ) : null}
        {field && isSelect ? <Alert type="info" showIcon title={t("customFields.optionsHint")} /> : null}
      </Form>
    </Modal>
  );
}
