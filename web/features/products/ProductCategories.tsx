import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Flex, Input, Menu, Popconfirm } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNotify } from "../../components/use-notify";
import { useCategories, useDeleteCategory, useSaveCategory } from "./products-api";

/** 产品分类: pick one to filter the table; admins add and delete (empty) categories. */
export function ProductCategories({ selected, onSelect, canEdit }: { selected: string | null; onSelect: (id: string | null) => void; canEdit: boolean }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const categories = useCategories();
  const save = useSaveCategory();
  const remove = useDeleteCategory();
  const [name, setName] = useState("");
  const items = [
    { key: "", label: <span data-testid="product-category-all">{t("products.allCategories")}</span> },
    ...(categories.data?.data ?? []).map((c) => ({
      key: c.id,
      label: (
        <Flex justify="space-between" align="center" data-testid={`product-category-${c.id}`}>
          <span>
            {c.name} ({c.productCount})
          </span>
          {canEdit ? (
            <Popconfirm title={t("products.categoryDeleteConfirm")} onConfirm={() => remove.mutate(c.id, { onError: (e) => notify.error(e), onSuccess: () => onSelect(null) })}>
              <Button size="small" type="text" icon={<DeleteOutlined />} onClick={(e) => e.stopPropagation()} aria-label={t("products.delete")} />
            </Popconfirm>
          ) : null}
        </Flex>
      ),
    })),
  ];
  return (
    <Flex vertical gap={8} style={{ width: 220 }}>
      <Menu selectedKeys={[selected ?? ""]} items={items} onClick={(info) => onSelect(info.key === "" ? null : info.key)} style={{ borderInlineEnd: "none" }} />
      {canEdit ? (
        <Flex gap={4}>
          <Input size="small" value={name} onChange={(e) => setName(e.target.value)} placeholder={t("products.newCategory")} maxLength={100} data-testid="product-category-name" />
          <Button
            size="small"
            icon={<PlusOutlined />}
            disabled={!name.trim()}
            loading={save.isPending}
            onClick={() => save.mutate({ id: null, name: name.trim() }, { onSuccess: () => setName(""), onError: (e) => notify.error(e) })}
            data-testid="product-category-add"
            aria-label={t("products.addCategory")}
          />
        </Flex>
      ) : null}
    </Flex>
  );
}
