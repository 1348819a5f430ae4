import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Input, Popconfirm, Space, Table, Tag as AntTag } from "antd";
import type { TableColumnsType } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCan } from "../../app/session";
import { LoadError } from "../../components/StatusResults";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { TagFormModal } from "./TagFormModal";
import { type Tag, useDeleteTag, useTags } from "./tags-api";

type Editing = { kind: "create" } | { kind: "edit"; tag: Tag } | null;

/** 标签管理: the workspace's tags with how often each is used. */
export function TagsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const notify = useNotify();
  const tags = useTags();
  const deleteTag = useDeleteTag();
  const [editing, setEditing] = useState<Editing>(null);
  const [search, setSearch] = useState("");

  const rows = (tags.data?.data ?? []).filter((tag) => tag.name.toLowerCase().includes(search.trim().toLowerCase()));

  const remove = async (tag: Tag) => {
    try {
      await deleteTag.mutateAsync(tag.id);
      notify.success(t("tags.deleted"));
    } catch (error) {
      notify.error(error);
    }
  };

  const columns: TableColumnsType<Tag> = [
    {
      title: t("tags.name"),
      dataIndex: "name",
      sorter: (a, b) => a.name.localeCompare(b.name),
      render: (_name: string, tag) => (
        <AntTag color={tag.color} data-testid="tag-row-name">
          {tag.name}
        </AntTag>
      ),
    },
    { title: t("tags.color"), dataIndex: "color", width: 140, render: (color: string) => t(`picklists.color.${color}`, { defaultValue: color }) },
    { title: t("tags.usage"), dataIndex: "usage", width: 140, sorter: (a, b) => a.usage - b.usage, defaultSortOrder: "descend" },
  ];
  if (can("tag:edit") || can("tag:delete")) {
    columns.push({
      title: t("common.actions"),
      key: "actions",
      width: 160,
      render: (_value, tag) => (
        <Space size={0}>
          {can("tag:edit") ? (
            <Button type="link" size="small" onClick={() => setEditing({ kind: "edit", tag })} data-testid="tag-edit">
              {t("common.edit")}
            </Button>
          ) : null}
          {can("tag:delete") ? (
            <Popconfirm
              title={t("tags.confirmDelete", { name: tag.name, count: tag.usage })}
              okText={t("common.delete")}
              cancelText={t("common.cancel")}
              okButtonProps={{ danger: true, ...testId("confirm-ok") }}
              onConfirm={() => remove(tag)}
            >
              <Button type="link" size="small" danger data-testid="tag-delete">
                {t("common.delete")}
              </Button>
            </Popconfirm>
          ) : null}
        </Space>
      ),
    });
  }

  return (
    <Card
      title={t("tags.title")}
      data-testid="tags-page"
      extra={
        can("tag:create") ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ kind: "create" })} data-testid="tags-create">
            {t("tags.create")}
          </Button>
        ) : null
      }
    >
      <Input.Search
        allowClear
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        placeholder={t("tags.searchPlaceholder")}
        style={{ width: 260, marginBottom: 16 }}
        data-testid="tags-search"
      />
      {tags.isError ? (
        <LoadError onRetry={() => void tags.refetch()} />
      ) : (
        <Table<Tag> rowKey="id" columns={columns} dataSource={rows} loading={tags.isPending} pagination={{ pageSize: 50, hideOnSinglePage: true }} data-testid="tags-table" />
      )}
      {editing ? <TagFormModal key={editing.kind === "edit" ? editing.tag.id : "new"} tag={editing.kind === "edit" ? editing.tag : null} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}
