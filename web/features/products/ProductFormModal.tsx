import { Form, Input, InputNumber, Modal, Select, Switch } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { applyServerFieldErrors } from "../../components/form-errors";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { customChanges, customFormValues } from "../custom-fields/custom-values";
import { applyCustomFieldErrors, CustomFieldsSection, useEntityCustomFields } from "../custom-fields/EntityCustomFields";
import type { FormCustomValue } from "../customers/custom-form-values";
import { fromMoney, toMoney } from "../deals/deals-types";
import { useCategories, useSaveProduct } from "./products-api";
import type { Product } from "./products-types";

interface Values {
  name: string;
  code?: string;
  unit?: string;
  price?: number;
  categoryId?: string | null;
  active: boolean;
  description?: string;
  custom?: Record<string, FormCustomValue>;
}

/** New / edit product: name, code, unit, price, category, active, custom fields. */
export function ProductFormModal({ open, product, onClose }: { open: boolean; product: Product | null; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<Values>();
  const save = useSaveProduct();
  const categories = useCategories();
  const customFields = useEntityCustomFields("product");
  const { definitions } = customFields;
  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue(
        product
          ? { name: product.name, code: product.code ?? "", unit: product.unit ?? "", price: fromMoney(product.price), categoryId: product.categoryId, active: product.active, description: product.description ?? "" }
          : { active: true },
      );
    }
  }, [open, product, form]);
  useEffect(() => {
    // After the reset above; the definitions may arrive later, and filling only `custom` then keeps what was typed.
    if (open) {
      form.setFieldsValue({ custom: customFormValues(definitions, product ? product.custom : null) });
    }
  }, [open, product, definitions, form]);
  const submit = async (v: Values) => {
    const custom = customChanges(definitions, v.custom, product ? product.custom : null, customFields.rule);
    try {
      await save.mutateAsync({
        product,
        body: {
          name: v.name,
          code: v.code?.trim() || null,
          unit: v.unit?.trim() || null,
          price: toMoney(v.price),
          categoryId: v.categoryId ?? null,
          active: v.active,
          description: v.description?.trim() || null,
          ...(custom ? { custom } : {}),
        },
      });
      notify.success(t("products.saved"));
      onClose();
    } catch (error) {
      const onFields = applyServerFieldErrors(form, error, ["name", "code", "unit", "price", "categoryId", "description"]);
      if (!applyCustomFieldErrors(form, error) && !onFields) {
        notify.error(error);
      }
    }
  };
  return (
    <Modal
      open={open}
      title={product ? t("products.edit") : t("products.create")}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okButtonProps={testId("product-form-submit")}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="name" label={t("products.field.name")} rules={[{ required: true, whitespace: true, message: t("products.field.nameRequired") }]}>
          <Input maxLength={200} data-testid="product-form-name" />
        </Form.Item>
        <Form.Item name="code" label={t("products.field.code")}>
          <Input maxLength={64} data-testid="product-form-code" />
        </Form.Item>
        <Form.Item name="unit" label={t("products.field.unit")}>
          <Input maxLength={32} data-testid="product-form-unit" />
        </Form.Item>
        <Form.Item name="price" label={t("products.field.price")}>
          <InputNumber min={0} precision={2} style={{ width: "100%" }} data-testid="product-form-price" />
        </Form.Item>
        <Form.Item name="categoryId" label={t("products.field.category")}>
          <Select allowClear options={(categories.data?.data ?? []).map((c) => ({ value: c.id, label: c.name }))} data-testid="product-form-category" />
        </Form.Item>
        <Form.Item name="active" label={t("products.field.active")} valuePropName="checked">
          <Switch data-testid="product-form-active" />
        </Form.Item>
        <Form.Item name="description" label={t("products.field.description")}>
          <Input.TextArea rows={3} maxLength={5000} data-testid="product-form-description" />
        </Form.Item>
        <CustomFieldsSection fields={customFields} title={t("products.customSection")} testIdPrefix="product-form" />
      </Form>
    </Modal>
  );
}
