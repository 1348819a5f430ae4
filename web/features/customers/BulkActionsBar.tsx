import { DeleteOutlined, DownOutlined, ExportOutlined, TagsOutlined, UndoOutlined, UserSwitchOutlined } from "@ant-design/icons";
import { Button, Dropdown, Flex, Popconfirm, Typography } from "antd";
import type { MenuProps } from "antd";
import { useTranslation } from "react-i18next";
import { testId } from "../../components/test-id";

export type BulkCommand = "assign" | "addTags" | "removeTags" | "setLevel" | "delete" | "export" | "restore";

interface BulkActionsBarProps {
  selectedCount: number;
  allMatching: boolean;
  /** "12,345" or "10,000+": how many match the filter (when known). */
  matchingText: string | null;
  canSelectAll: boolean;
  onSelectAll: () => void;
  onClear: () => void;
  allowed: Record<BulkCommand, boolean>;
  onCommand: (command: BulkCommand) => void;
  busy: boolean;
  /**
   * The list it acts for (default "customers"; the contacts list passes "contacts"): prefixes the
   * bar's own test ids and the locale keys of its texts (`<list>.bulk.selected`, `<list>.restore`).
   */
  list?: string;
}

/** What to do with the selected rows, or with every row matching the filter. */
export function BulkActionsBar(props: BulkActionsBarProps) {
  const { t } = useTranslation();
  const { allowed, onCommand } = props;
  const prefix = props.list ?? "customers";
  const tagItems: MenuProps["items"] = [
    ...(allowed.addTags ? [{ key: "addTags", label: <span data-testid="bulk-add-tags">{t("customers.bulk.addTags")}</span> }] : []),
    ...(allowed.removeTags
      ? [{ key: "removeTags", label: <span data-testid="bulk-remove-tags">{t("customers.bulk.removeTags")}</span> }]
      : []),
  ];
  const count = props.allMatching ? (props.matchingText ?? "") : String(props.selectedCount);

  return (
    <Flex align="center" gap={8} wrap data-testid={`${prefix}-bulk-bar`} style={{ padding: "8px 12px", background: "rgba(22,119,255,0.06)", borderRadius: 6 }}>
      <Typography.Text strong data-testid={`${prefix}-selected-count`}>
        {props.allMatching ? t(`${prefix}.bulk.allMatchingSelected`, { count }) : t(`${prefix}.bulk.selected`, { count })}
      </Typography.Text>
      {!props.allMatching && props.canSelectAll && props.matchingText ? (
        <Button type="link" size="small" onClick={props.onSelectAll} data-testid={`${prefix}-select-all-matching`}>
          {t(`${prefix}.bulk.selectAllMatching`, { count: props.matchingText })}
        </Button>
      ) : null}
      <Button type="link" size="small" onClick={props.onClear} data-testid={`${prefix}-clear-selection`}>
        {t(`${prefix}.bulk.clear`)}
      </Button>
      <Flex gap={8} wrap style={{ marginInlineStart: "auto" }}>
        {allowed.restore ? (
          <Button icon={<UndoOutlined />} loading={props.busy} onClick={() => onCommand("restore")} data-testid="bulk-restore">
            {t(`${prefix}.restore`)}
          </Button>
        ) : null}
        {allowed.assign ? (
          <Button icon={<UserSwitchOutlined />} onClick={() => onCommand("assign")} data-testid="bulk-assign">
            {t("customers.bulk.assign")}
          </Button>
        ) : null}
        {tagItems.length > 0 ? (
          <Dropdown trigger={["click"]} menu={{ items: tagItems, onClick: ({ key }) => onCommand(key as BulkCommand) }}>
            <Button icon={<TagsOutlined />} data-testid="bulk-tags">
              {t("customers.bulk.tags")} <DownOutlined />
            </Button>
          </Dropdown>
        ) : null}
        {allowed.setLevel ? (
          <Button onClick={() => onCommand("setLevel")} data-testid="bulk-set-level">
            {t("customers.bulk.setLevel")}
          </Button>
        ) : null}
        {allowed.export ? (
          <Button icon={<ExportOutlined />} onClick={() => onCommand("export")} data-testid="bulk-export">
            {t("customers.bulk.export")}
          </Button>
        ) : null}
        {allowed.delete ? (
          <Popconfirm
            title={t(`${prefix}.bulk.confirmDelete`, { count })}
            okText={t("common.delete")}
            cancelText={t("common.cancel")}
            okButtonProps={{ danger: true, ...testId("confirm-ok") }}
            onConfirm={() => onCommand("delete")}
          >
            <Button danger icon={<DeleteOutlined />} loading={props.busy} data-testid="bulk-delete">
              {t("common.delete")}
            </Button>
          </Popconfirm>
        ) : null}
      </Flex>
    </Flex>
  );
}
