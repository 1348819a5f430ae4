import { DeleteOutlined, EditOutlined, PlusOutlined, UserOutlined } from "@ant-design/icons";
import { Button, Card, Empty, Popconfirm, Space, Tag, Tooltip, Tree, Typography } from "antd";
import type { TreeDataNode, TreeProps } from "antd";
import type { Key, MouseEvent, ReactNode } from "react";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Department } from "../../app/api-types";
import { useCan } from "../../app/session";
import { LoadError } from "../../components/StatusResults";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { DepartmentFormModal } from "./DepartmentFormModal";
import type { DepartmentDialog } from "./DepartmentFormModal";
import { buildDepartmentTree, sortDepartments, useDeleteDepartment, useDepartments, useMoveDepartment } from "./departments-api";
import type { DepartmentNode } from "./departments-api";

interface TreeItem extends TreeDataNode {
  key: string;
  title: ReactNode;
  children: TreeItem[];
}

function stop(event: MouseEvent) {
  event.stopPropagation();
}

export function DepartmentsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const notify = useNotify();
  const departments = useDepartments();
  const move = useMoveDepartment();
  const remove = useDeleteDepartment();
  const [dialog, setDialog] = useState<DepartmentDialog | null>(null);
  // Tracking collapsed (not expanded) nodes keeps newly added departments expanded.
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());

  const list = useMemo(() => departments.data ?? [], [departments.data]);
  const canCreate = can("department:create");
  const canEdit = can("department:edit");
  const canDelete = can("department:delete");

  const deleteDepartment = async (department: Department) => {
    try {
      await remove.mutateAsync(department.id);
      notify.success(t("departments.deleted"));
    } catch (error) {
      notify.error(error);
    }
  };

  const renderTitle = (department: Department): ReactNode => (
    <span data-testid="dept-node" data-dept-id={department.id} style={{ display: "inline-flex", alignItems: "center", gap: 8 }}>
      <Typography.Text data-testid="dept-node-name">{department.name}</Typography.Text>
      <Tooltip title={t("departments.members")}>
        <Tag data-testid="dept-member-count">{t("departments.memberCount", { count: department.memberCount })}</Tag>
      </Tooltip>
      {department.leaderName ? (
        <Typography.Text type="secondary" data-testid="dept-leader">
          <UserOutlined /> {department.leaderName}
        </Typography.Text>
      ) : null}
      <Space size={0} onClick={stop}>
        {canCreate ? (
          <Tooltip title={t("departments.addChild")}>
            <Button
              type="text"
              size="small"
              icon={<PlusOutlined />}
              data-testid="dept-add-child"
              aria-label={t("departments.addChild")}
              onClick={() => setDialog({ kind: "create", parentId: department.id })}
            />
          </Tooltip>
        ) : null}
        {canEdit ? (
          <Tooltip title={t("departments.rename")}>
            <Button
              type="text"
              size="small"
              icon={<EditOutlined />}
              data-testid="dept-rename"
              aria-label={t("departments.rename")}
              onClick={() => setDialog({ kind: "rename", department })}
            />
          </Tooltip>
        ) : null}
        {canEdit ? (
          <Tooltip title={t("departments.setLeader")}>
            <Button
              type="text"
              size="small"
              icon={<UserOutlined />}
              data-testid="dept-set-leader"
              aria-label={t("departments.setLeader")}
              onClick={() => setDialog({ kind: "leader", department })}
            />
          </Tooltip>
        ) : null}
        {canDelete ? (
          <Popconfirm
            title={t("departments.confirmDelete", { name: department.name })}
            okText={t("common.delete")}
            cancelText={t("common.cancel")}
            okButtonProps={{ danger: true, ...testId("confirm-ok") }}
            onConfirm={() => deleteDepartment(department)}
            destroyOnHidden
          >
            <Button
              type="text"
              size="small"
              danger
              icon={<DeleteOutlined />}
              data-testid="dept-delete"
              aria-label={t("common.delete")}
            />
          </Popconfirm>
        ) : null}
      </Space>
    </span>
  );

  const toItems = (nodes: DepartmentNode[]): TreeItem[] =>
    nodes.map(({ department, children }) => ({
      key: department.id,
      title: renderTitle(department),
      children: toItems(children),
    }));
  const treeData = toItems(buildDepartmentTree(list));
  const expandedKeys = list.filter((d) => !collapsed.has(d.id)).map((d) => d.id);

  const onExpand = (keys: Key[]) => {
    const open = new Set(keys.map(String));
    setCollapsed(new Set(list.filter((d) => !open.has(d.id)).map((d) => d.id)));
  };

  const onDrop: TreeProps<TreeItem>["onDrop"] = (info) => {
    const dragId = String(info.dragNode.key);
    const dropId = String(info.node.key);
    const target = list.find((d) => d.id === dropId);
    if (!target || dragId === dropId) {
      return;
    }
    const positions = info.node.pos.split("-");
    const relative = info.dropPosition - Number(positions[positions.length - 1]);
    let parentId: string | null;
    let index: number;
    if (!info.dropToGap || (relative === 1 && info.node.expanded && info.node.children.length > 0)) {
      // Dropped onto the node (or just below an open parent): becomes its first child.
      parentId = target.id;
      index = 0;
    } else {
      parentId = target.parentId;
      const siblings = sortDepartments(list.filter((d) => d.parentId === parentId && d.id !== dragId));
      const at = siblings.findIndex((d) => d.id === target.id);
      index = relative === -1 ? at : at + 1;
    }
    move.mutate(
      { departments: list, id: dragId, parentId, index },
      {
        onSuccess: () => notify.success(t("departments.moved")),
        onError: (error) => notify.error(error),
      },
    );
  };

  return (
    <Card
      title={t("nav.departments")}
      extra={
        canCreate ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="departments-create"
            onClick={() => setDialog({ kind: "create", parentId: null })}
          >
            {t("departments.create")}
          </Button>
        ) : null
      }
    >
      {canEdit ? (
        <Typography.Paragraph type="secondary">{t("departments.dragHint")}</Typography.Paragraph>
      ) : null}
      {departments.isError ? (
        <LoadError onRetry={() => void departments.refetch()} />
      ) : treeData.length === 0 && !departments.isPending ? (
        <Empty description={t("departments.empty")} />
      ) : (
        <Tree<TreeItem>
          treeData={treeData}
          blockNode
          draggable={canEdit && !move.isPending ? { icon: false } : false}
          expandedKeys={expandedKeys}
          onExpand={onExpand}
          onDrop={onDrop}
          selectable={false}
          data-testid="departments-tree"
        />
      )}
      {dialog ? <DepartmentFormModal dialog={dialog} onClose={() => setDialog(null)} /> : null}
    </Card>
  );
}
