import { ArrowDownOutlined, ArrowUpOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Card, Popconfirm, Space, Table, Tabs, Tag, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCan } from "../../app/session";
import { LoadError } from "../../components/StatusResults";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import type { CustomFieldDefinition } from "../customers/customer-types";
import { CUSTOMIZABLE_ENTITIES, type CustomizableEntity, useCustomFields, useDeleteCustomField, useReorderCustomFields } from "./custom-fields-api";
import { CustomFieldFormModal } from "./CustomFieldFormModal";

type Editing = { kind: "create" } | { kind: "edit"; field: CustomFieldDefinition } | null;

function FieldList({ entity }: { entity: CustomizableEntity }) {
  const { t } = useTranslation();
  const can = useCan();
  const notify = useNotify();
  const fields = useCustomFields(entity);
  const deleteField = useDeleteCustomField(entity);
  const reorder = useReorderCustomFields(entity);
  const [editing, setEditing] = useState<Editing>(null);
  const rows = fields.data?.data ?? [];

  const move = async (index: number, delta: number) => {
    const next = [...rows];
    const [item] = next.splice(index, 1);
    if (!item) {
      return;
    }
    next.splice(index + delta, 0, item);
    // Positions become 0..n-1; only the fields whose position changed are written.
    const moves = next.map((field, position) => ({ id: field.id, sort: position })).filter((m) => rows.find((r) => r.id === m.id)?.sort !== m.sort);
    try {
      await reorder.mutateAsync(moves);
    } catch (error) {
      notify.error(error);
    }
  };

  const remove = async (field: CustomFieldDefinition) => {
    try {
      await deleteField.mutateAsync(field.id);
      notify.success(t("customFields.deleted", { label: field.label }));
    } catch (error) {
      notify.error(error);
    }
  };

  const columns: TableColumnsType<CustomFieldDefinition> = [
    ...(can("customField:edit")
      ? [
          {
            key: "order",
            width: 90,
            render: (_value: unknown, _field: CustomFieldDefinition, index: number) => (
              <Space size={0}>
                <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={index === 0 || reorder.isPending} onClick={() => void move(index, -1)} aria-label={t("customers.columns.moveUp")} data-testid="custom-field-up" />
                <Button
                  type="text"
                  size="small"
                  icon={<ArrowDownOutlined />}
                  disabled={index === rows.length - 1 || reorder.isPending}
                  onClick={() => void move(index, 1)}
                  aria-label={t("customers.columns.moveDown")}
                  data-testid="custom-field-down"
                />
              </Space>
            ),
          },
        ]
      : []),
    { title: t("customFields.label"), dataIndex: "label", render: (label: string) => <Typography.Text strong data-testid="custom-field-row-label">{label}</Typography.Text> },
    { title: t("customFields.key"), dataIndex: "key", render: (key: string) => <Typography.Text code>{key}</Typography.Text> },
    { title: t("customFields.type"), dataIndex: "type", render: (type: string) => t(`customFields.types.${type}`) },
    {
      title: t("customFields.flags"),
      key: "flags",
      render: (_value, field) => (
        <Space size={4}>
          {field.required ? <Tag color="red">{t("customFields.required")}</Tag> : null}
          {field.unique ? <Tag color="purple">{t("customFields.unique")}</Tag> : null}
        </Space>
      ),
    },
    {
      title: t("customFields.options"),
      key: "options",
      render: (_value, field) =>
        field.options.length > 0 ? (
          <Space size={[0, 4]} wrap>
            {field.options.slice(0, 5).map((o) => (
              <Tag key={o.value} color={o.color ?? undefined}>
                {o.label}
              </Tag>
            ))}
            {field.options.length > 5 ? <Tag>+{field.options.length - 5}</Tag> : null}
          </Space>
        ) : (
          "—"
        ),
    },
  ];
  if (can("customField:edit") || can("customField:delete")) {
    columns.push({
      title: t("common.actions"),
      key: "actions",
      width: 150,
      render: (_value, field) => (
        <Space size={0}>
          {can("customField:edit") ? (
            <Button type="link" size="small" onClick={() => setEditing({ kind: "edit", field })} data-testid="custom-field-edit">
              {t("common.edit")}
            </Button>
          ) : null}
          {can("customField:delete") ? (
            <Popconfirm
              title={t("customFields.confirmDelete", { label: field.label })}
              description={t("customFields.deleteHint")}
              okText={t("common.delete")}
              cancelText={t("common.cancel")}
              okButtonProps={{ danger: true, ...testId("confirm-ok") }}
              onConfirm={() => remove(field)}
            >
              <Button type="link" size="small" danger data-testid="custom-field-delete">
                {t("common.delete")}
              </Button>
            </Popconfirm>
          ) : null}
        </Space>
      ),
    });
  }

  if (fields.isError) {
    return <LoadError onRetry={() => void fields.refetch()} />;
  }
  return (
    <>
      <Space style={{ marginBottom: 16, width: "100%", justifyContent: "space-between" }}>
        <Typography.Text type="secondary">{t("customFields.intro")}</Typography.Text>
        {can("customField:create") ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ kind: "create" })} data-testid="custom-fields-create">
            {t("customFields.create")}
          </Button>
        ) : null}
      </Space>
      <Table<CustomFieldDefinition> rowKey="id" columns={columns} dataSource={rows} loading={fields.isPending} pagination={false} data-testid={`custom-fields-table-${entity}`} />
      {editing ? (
        <CustomFieldFormModal
          key={editing.kind === "edit" ? editing.field.id : "new"}
          entity={entity}
          field={editing.kind === "edit" ? editing.field : null}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </>
  );
}

/** 自定义字段: per entity, the extra fields shown in forms, lists, filters, import and export. */
export function CustomFieldsPage() {
  const { t } = useTranslation();
  const [entity, setEntity] = useState<CustomizableEntity>("customer");
  return (
    <Card title={t("customFields.title")} data-testid="custom-fields-page">
      <Tabs
        activeKey={entity}
        onChange={(key) => setEntity(key as CustomizableEntity)}
        destroyOnHidden
        items={CUSTOMIZABLE_ENTITIES.map((key) => ({
          key,
          label: <span data-testid={`custom-fields-tab-${key}`}>{t(`customFields.entity.${key}`)}</span>,
          children: <FieldList entity={key} />,
        }))}
      />
    </Card>
  );
}
