import { DeleteOutlined, EditOutlined, ExportOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Card, Flex, Input, Popconfirm, Segmented, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { useCan } from "../../app/session";
import { LoadError } from "../../components/StatusResults";
import { useDebouncedValue } from "../../components/use-debounced-value";
import { useNotify } from "../../components/use-notify";
import { EntityExportModal } from "../deals/EntityExportModal";
import { formatAmount } from "../deals/deals-types";
import { ImportButton } from "../imports/ImportButton";
import { ProductCategories } from "./ProductCategories";
import { ProductDetailDrawer } from "./ProductDetailDrawer";
import { ProductFormModal } from "./ProductFormModal";
import { useDeleteProduct, useProductsList } from "./products-api";
import type { Product } from "./products-types";

/** 产品: categories on the left, the filtered, keyset-paged product table on the right. */
export function ProductsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const notify = useNotify();
  const [search, setSearch] = useState("");
  const q = useDebouncedValue(search);
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [active, setActive] = useState<"all" | "active" | "inactive">("active");
  const [editing, setEditing] = useState<{ product: Product | null } | null>(null);
  const list = useProductsList({ q, categoryId, active: active === "all" ? null : active === "active" });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.data) ?? [], [list.data]);
  const remove = useDeleteProduct();
  const [exporting, setExporting] = useState(false);
  const canEdit = can("product:edit");
  // The open product's detail is in the URL (?product=<id>), so it can be linked to and survives a reload.
  const [params, setParams] = useSearchParams();
  const detailId = params.get("product");
  const showDetail = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) {
      next.set("product", id);
    } else {
      next.delete("product");
    }
    setParams(next, { replace: true });
  };

  const columns: ColumnsType<Product> = [
    {
      key: "name",
      title: t("products.field.name"),
      render: (_, p) => (
        <Typography.Link onClick={() => showDetail(p.id)} data-testid={`product-row-${p.id}`}>
          {p.name}
        </Typography.Link>
      ),
    },
    { key: "code", title: t("products.field.code"), render: (_, p) => p.code ?? "—" },
    { key: "unit", title: t("products.field.unit"), render: (_, p) => p.unit ?? "—" },
    { key: "price", title: t("products.field.price"), align: "right", render: (_, p) => formatAmount(p.price) },
    { key: "category", title: t("products.field.category"), render: (_, p) => p.categoryName ?? "—" },
    { key: "active", title: t("products.field.active"), render: (_, p) => (p.active ? <Tag color="green">{t("products.active")}</Tag> : <Tag>{t("products.inactive")}</Tag>) },
    ...(canEdit || can("product:delete")
      ? [
          {
            key: "actions",
            title: "",
            render: (_: unknown, p: Product) => (
              <Flex gap={4}>
                {canEdit ? <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing({ product: p })} data-testid={`product-edit-${p.id}`} aria-label={t("products.edit")} /> : null}
                {can("product:delete") ? (
                  <Popconfirm title={t("products.deleteConfirm")} onConfirm={() => remove.mutate(p.id, { onError: (e) => notify.error(e) })}>
                    <Button size="small" type="text" danger icon={<DeleteOutlined />} data-testid={`product-delete-${p.id}`} aria-label={t("products.delete")} />
                  </Popconfirm>
                ) : null}
              </Flex>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={t("products.title")}
      data-testid="products-page"
      extra={
        <Flex gap={8}>
          <ImportButton entity="product" data-testid="products-import" />
          {can("product:export") ? (
            <Button icon={<ExportOutlined />} onClick={() => setExporting(true)} data-testid="products-export">
              {t("products.export")}
            </Button>
          ) : null}
          {can("product:create") ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ product: null })} data-testid="product-create">
              {t("products.create")}
            </Button>
          ) : null}
        </Flex>
      }
    >
      <Flex gap={16} align="flex-start">
        <ProductCategories selected={categoryId} onSelect={setCategoryId} canEdit={canEdit} />
        <Flex vertical gap={12} flex={1} style={{ minWidth: 0 }}>
          <Flex gap={8} wrap>
            <Input.Search allowClear placeholder={t("products.searchPlaceholder")} value={search} onChange={(e) => setSearch(e.target.value)} style={{ width: 240 }} data-testid="products-search" />
            <Segmented<"all" | "active" | "inactive">
              value={active}
              onChange={setActive}
              options={[
                { value: "active", label: <span data-testid="products-filter-active">{t("products.active")}</span> },
                { value: "inactive", label: <span data-testid="products-filter-inactive">{t("products.inactive")}</span> },
                { value: "all", label: <span data-testid="products-filter-all">{t("products.all")}</span> },
              ]}
            />
          </Flex>
          {list.isError ? <LoadError onRetry={() => void list.refetch()} /> : null}
          <Table<Product> rowKey="id" size="small" loading={list.isPending} dataSource={rows} columns={columns} pagination={false} data-testid="products-table" />
          <Flex justify="space-between">
            <Typography.Text type="secondary">{list.data?.pages[0]?.total !== undefined ? t("products.total", { count: list.data.pages[0].total }) : ""}</Typography.Text>
            {list.hasNextPage ? (
              <Button loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} data-testid="products-more">
                {t("products.loadMore")}
              </Button>
            ) : null}
          </Flex>
        </Flex>
      </Flex>
      {exporting ? <EntityExportModal entity="product" filter={{ ...(q.trim() ? { q: q.trim() } : {}), ...(categoryId ? { categoryId } : {}), ...(active === "all" ? {} : { active: String(active === "active") }) }} onClose={() => setExporting(false)} /> : null}
      <ProductDetailDrawer id={detailId} onClose={() => showDetail(null)} onEdit={(product) => setEditing({ product })} />
      <ProductFormModal open={editing !== null} product={editing?.product ?? null} onClose={() => setEditing(null)} />
    </Card>
  );
}
