import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Flex, Form, Input, InputNumber, Typography } from "antd";
import type { FormInstance } from "antd";
import { useTranslation } from "react-i18next";
import { ProductSelect } from "./pickers";
import { formatCents, fromMoney, lineAmount, toCents } from "./deals-types";

/** A line as the form holds it: money in yuan (two decimals), converted to cents on save. */
export interface LineFormValue {
  productId?: string | null;
  name?: string;
  unit?: string | null;
  price?: number;
  quantity?: number;
  discountPercent?: number;
}

export function linesTotal(lines: readonly LineFormValue[] | undefined): number {
  return (lines ?? []).reduce((sum, l) => sum + lineAmount(toCents(l.price), l.quantity ?? 0, l.discountPercent ?? 0), 0);
}

/** 产品明细: product (fills name, unit, price), price × quantity × (1 − discount) per line. */
export function DealLinesEditor({ form }: { form: FormInstance }) {
  const { t } = useTranslation();
  const lines = Form.useWatch<LineFormValue[] | undefined>("lines", form);
  return (
    <Form.List name="lines">
      {(fields, { add, remove }) => (
        <Flex vertical gap={8} data-testid="deal-lines">
          {fields.map((field, index) => {
            const line = lines?.[index];
            return (
              <Flex key={field.key} gap={6} align="start" wrap data-testid={`deal-line-${index}`}>
                <Form.Item name={[field.name, "productId"]} style={{ width: 180, marginBottom: 0 }}>
                  <ProductSelect
                    testId={`deal-line-product-${index}`}
                    onPick={(product) => {
                      const current = (form.getFieldValue(["lines", field.name]) ?? {}) as LineFormValue;
                      form.setFieldValue(["lines", field.name], {
                        ...current,
                        productId: product?.id ?? null,
                        ...(product ? { name: product.name, unit: product.unit, price: fromMoney(product.price) } : {}),
                      });
                    }}
                  />
                </Form.Item>
                <Form.Item name={[field.name, "name"]} rules={[{ required: true, message: t("deals.lines.nameRequired") }]} style={{ width: 150, marginBottom: 0 }}>
                  <Input placeholder={t("deals.lines.name")} data-testid={`deal-line-name-${index}`} />
                </Form.Item>
                <Form.Item name={[field.name, "price"]} rules={[{ required: true, message: t("deals.lines.priceRequired") }]} style={{ marginBottom: 0 }}>
                  <InputNumber min={0} precision={2} placeholder={t("deals.lines.price")} style={{ width: 110 }} data-testid={`deal-line-price-${index}`} />
                </Form.Item>
                <Form.Item name={[field.name, "quantity"]} rules={[{ required: true, message: t("deals.lines.quantityRequired") }]} style={{ marginBottom: 0 }}>
                  <InputNumber min={0.001} precision={3} placeholder={t("deals.lines.quantity")} style={{ width: 90 }} data-testid={`deal-line-quantity-${index}`} />
                </Form.Item>
                <Form.Item name={[field.name, "discountPercent"]} style={{ marginBottom: 0 }}>
                  <InputNumber min={0} max={100} precision={2} placeholder={t("deals.lines.discount")} suffix="%" style={{ width: 90 }} data-testid={`deal-line-discount-${index}`} />
                </Form.Item>
                <Typography.Text style={{ lineHeight: "32px", minWidth: 90, textAlign: "right" }} data-testid={`deal-line-amount-${index}`}>
                  {formatCents(lineAmount(toCents(line?.price), line?.quantity ?? 0, line?.discountPercent ?? 0))}
                </Typography.Text>
                <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t("deals.lines.remove")} data-testid={`deal-line-remove-${index}`} />
              </Flex>
            );
          })}
          <Flex justify="space-between" align="center">
            <Button icon={<PlusOutlined />} onClick={() => add({ quantity: 1, discountPercent: 0 })} data-testid="deal-line-add">
              {t("deals.lines.add")}
            </Button>
            {fields.length > 0 ? <Typography.Text strong data-testid="deal-lines-total">{t("deals.lines.total", { amount: formatCents(linesTotal(lines)) })}</Typography.Text> : null}
          </Flex>
        </Flex>
      )}
    </Form.List>
  );
}
