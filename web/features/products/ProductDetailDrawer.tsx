import { Button, Descriptions, Drawer, Result, Skeleton, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useCan } from "../../app/session";
import { formatDateTime } from "../../components/format";
import { useCustomDetailItems } from "../custom-fields/EntityCustomFields";
import { formatAmount } from "../deals/deals-types";
import { useProduct } from "./products-api";
import type { Product } from "./products-types";

/**
 * One product's facts — code, unit, price, category, active flag, description, custom field values —
 * as the API gives them to this user: a field a role hides is absent from the answer and not shown.
 */
export function ProductDetailDrawer({ id, onClose, onEdit }: { id: string | null; onClose: () => void; onEdit: (product: Product) => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const product = useProduct(id);
  const customItems = useCustomDetailItems("product", "product-detail");
  const p = product.data;
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={560}
      destroyOnHidden
      title={p ? <span data-testid="product-detail-name">{p.name}</span> : t("products.detail")}
      extra={
        p && can("product:edit") ? (
          <Button onClick={() => onEdit(p)} data-testid="product-detail-edit">
            {t("products.edit")}
          </Button>
        ) : null
      }
      data-testid="product-detail"
    >
      {product.isLoading ? <Skeleton active /> : null}
      {product.isError ? <Result status="404" title={t("products.notFound")} /> : null}
      {p ? (
        <Descriptions column={1} size="small" bordered>
          {p.code !== undefined ? (
            <Descriptions.Item label={t("products.field.code")}>
              <span data-testid="product-detail-code">{p.code ?? "—"}</span>
            </Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t("products.field.unit")}>{p.unit ?? "—"}</Descriptions.Item>
          {p.price !== undefined ? (
            <Descriptions.Item label={t("products.field.price")}>
              <Typography.Text strong data-testid="product-detail-price">
                {formatAmount(p.price)} {p.currency}
              </Typography.Text>
            </Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t("products.field.category")}>{p.categoryName ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("products.field.active")}>
            {p.active ? <Tag color="green">{t("products.active")}</Tag> : <Tag>{t("products.inactive")}</Tag>}
          </Descriptions.Item>
          {p.description !== undefined ? <Descriptions.Item label={t("products.field.description")}>{p.description ?? "—"}</Descriptions.Item> : null}
          {customItems(p.custom)}
          <Descriptions.Item label={t("products.field.createdAt")}>{formatDateTime(p.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t("products.field.updatedAt")}>{formatDateTime(p.updatedAt)}</Descriptions.Item>
        </Descriptions>
      ) : null}
    </Drawer>
  );
}
