import { Form, Input, InputNumber, Modal, Select, Switch } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { applyServerFieldErrors } from "../../components/form-errors";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
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
}

/** New / edit product: name, code, unit, price, category, active. */
export function ProductFormModal({ open, product, onClose }: { open: boolean; product: Product | null; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<Values>();
  const save = useSaveProduct();
  const categories = useCategories();
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
  const submit = async (v: Values) => {
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
        },
      });
      notify.success(t("products.saved"));
      onClose();
    } catch (error) {
      if (!applyServerFieldErrors(form, error, ["name", "code", "unit", "price", "categoryId", "description"])) {
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
      </Form>
    </Modal>
  );
}
