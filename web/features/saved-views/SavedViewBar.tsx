import { DownOutlined, SaveOutlined, TeamOutlined } from "@ant-design/icons";
import { Button, Dropdown, Modal, Select, Space } from "antd";
import type { MenuProps } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSession } from "../../app/session";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { SaveViewModal } from "./SaveViewModal";
import {
  type SavedView,
  type SavedViewEntity,
  type ViewDefinition,
  useCreateSavedView,
  useDeleteSavedView,
  useSavedViews,
  useUpdateSavedView,
} from "./saved-views-api";

interface SavedViewBarProps {
  entity: SavedViewEntity;
  activeId: string | null;
  /** What "save" stores: the list's current filters, sort and columns. */
  current: ViewDefinition;
  canShare: boolean;
  onApply: (view: SavedView | null) => void;
}

const ALL = "__all__";

type Dialog = { kind: "create" } | { kind: "rename"; view: SavedView } | null;

/** Choose a saved view, save the current list as one, and manage the chosen one. */
export function SavedViewBar({ entity, activeId, current, canShare, onApply }: SavedViewBarProps) {
  const { t } = useTranslation();
  const me = useSession();
  const notify = useNotify();
  const views = useSavedViews(entity);
  const createView = useCreateSavedView(entity);
  const updateView = useUpdateSavedView(entity);
  const deleteView = useDeleteSavedView(entity);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [modal, modalContext] = Modal.useModal();

  const list = views.data?.data ?? [];
  const active = list.find((view) => view.id === activeId) ?? null;
  const own = list.filter((view) => view.ownerId === me.user.id);
  const shared = list.filter((view) => !own.includes(view));

  const options = [
    { value: ALL, label: t("savedViews.all") },
    ...(own.length > 0
      ? [{ label: t("savedViews.mine"), options: own.map((view) => ({ value: view.id, label: view.name })) }]
      : []),
    ...(shared.length > 0
      ? [
          {
            label: t("savedViews.sharedGroup"),
            options: shared.map((view) => ({
              value: view.id,
              label: (
                <Space size={4}>
                  <TeamOutlined />
                  {view.name}
                  {view.ownerName ? <span style={{ opacity: 0.6 }}>· {view.ownerName}</span> : null}
                </Space>
              ),
            })),
          },
        ]
      : []),
  ];

  const saveCurrent = async (view: SavedView) => {
    try {
      await updateView.mutateAsync({ view, changes: { definition: current } });
      notify.success(t("savedViews.updated", { name: view.name }));
    } catch (error) {
      notify.error(error);
    }
  };

  const remove = (view: SavedView) => {
    void modal.confirm({
      title: t("savedViews.confirmDelete", { name: view.name }),
      okText: t("common.delete"),
      okButtonProps: { danger: true, ...testId("confirm-ok") },
      cancelText: t("common.cancel"),
      onOk: async () => {
        try {
          await deleteView.mutateAsync(view.id);
          onApply(null);
          notify.success(t("savedViews.deleted"));
        } catch (error) {
          notify.error(error);
        }
      },
    });
  };

  const menu: MenuProps["items"] = [
    { key: "create", icon: <SaveOutlined />, label: <span data-testid="saved-view-save-as">{t("savedViews.saveAs")}</span> },
    ...(active?.access.edit
      ? [
          { key: "update", label: <span data-testid="saved-view-update">{t("savedViews.update", { name: active.name })}</span> },
          { key: "rename", label: <span data-testid="saved-view-rename">{t("savedViews.rename")}</span> },
        ]
      : []),
    ...(active?.access.delete
      ? [{ key: "delete", danger: true, label: <span data-testid="saved-view-delete">{t("savedViews.delete")}</span> }]
      : []),
  ];

  return (
    <>
      {modalContext}
      <Space.Compact>
        <Select<string>
          value={active ? active.id : ALL}
          // onSelect (not onChange): choosing the active view again re-applies it after edits.
          onSelect={(value) => onApply(list.find((view) => view.id === value) ?? null)}
          options={options}
          loading={views.isPending}
          style={{ width: 200 }}
          popupMatchSelectWidth={260}
          data-testid="saved-view-select"
        />
        <Dropdown
          trigger={["click"]}
          menu={{
            items: menu,
            onClick: ({ key }) => {
              if (key === "create") {
                setDialog({ kind: "create" });
              } else if (key === "update" && active) {
                void saveCurrent(active);
              } else if (key === "rename" && active) {
                setDialog({ kind: "rename", view: active });
              } else if (key === "delete" && active) {
                remove(active);
              }
            },
          }}
        >
          <Button icon={<DownOutlined />} iconPlacement="end" data-testid="saved-view-menu">
            {t("savedViews.menu")}
          </Button>
        </Dropdown>
      </Space.Compact>
      {dialog?.kind === "create" ? (
        <SaveViewModal
          title={t("savedViews.saveAsTitle")}
          initial={{ name: "", shared: false }}
          canShare={canShare}
          saving={createView.isPending}
          onSubmit={async (values) => {
            const view = await createView.mutateAsync({ ...values, definition: current });
            onApply(view);
            notify.success(t("savedViews.saved", { name: view.name }));
          }}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog?.kind === "rename" ? (
        <SaveViewModal
          title={t("savedViews.renameTitle")}
          initial={{ name: dialog.view.name, shared: dialog.view.shared }}
          canShare={canShare}
          saving={updateView.isPending}
          onSubmit={async (values) => {
            await updateView.mutateAsync({ view: dialog.view, changes: values });
            notify.success(t("common.saved"));
          }}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </>
  );
}
