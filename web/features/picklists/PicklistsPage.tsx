import { Alert, Button, Card, Flex, Tabs, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCan } from "../../app/session";
import { LoadError } from "../../components/StatusResults";
import { useNotify } from "../../components/use-notify";
import type { PicklistOption } from "../customers/customer-types";
import { newRowId, OptionListEditor, type OptionRow, optionRowsError } from "./OptionListEditor";
import { PICKLIST_KEYS, type PicklistKey, usePicklists, useReplacePicklist } from "./picklists-api";

function toRows(options: readonly PicklistOption[]): OptionRow[] {
  return options.map((option) => ({
    rowId: newRowId(),
    value: option.value,
    label: option.label,
    color: option.color,
    active: option.active,
    saved: true,
  }));
}

/** One option list: edits stay local until saved (PUT replaces the list in one go). */
function PicklistEditor({ listKey, options }: { listKey: PicklistKey; options: readonly PicklistOption[] }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const can = useCan();
  const replace = useReplacePicklist();
  const [rows, setRows] = useState<OptionRow[]>(() => toRows(options));
  const [dirty, setDirty] = useState(false);
  const [shownError, setShownError] = useState<string | null>(null);
  const editable = can("picklist:edit");

  const save = async () => {
    const error = optionRowsError(rows);
    if (error) {
      setShownError(t(`picklists.${error}`));
      return;
    }
    setShownError(null);
    try {
      const result = await replace.mutateAsync({
        key: listKey,
        options: rows.map((row) => ({ value: row.value.trim(), label: row.label.trim(), color: row.color, active: row.active })),
      });
      setRows(toRows(result.options));
      setDirty(false);
      notify.success(t("common.saved"));
    } catch (error) {
      notify.error(error);
    }
  };

  return (
    <Flex vertical gap={12} data-testid={`picklist-${listKey}`}>
      <Typography.Text type="secondary">{t("picklists.hint")}</Typography.Text>
      {shownError ? <Alert type="error" showIcon title={shownError} data-testid="picklist-error" /> : null}
      <OptionListEditor
        value={rows}
        onChange={(next) => {
          setRows(next);
          setDirty(true);
        }}
        withActive
        testId="picklist-option"
      />
      {editable ? (
        <Flex gap={8} justify="flex-end">
          <Button
            disabled={!dirty}
            onClick={() => {
              setRows(toRows(options));
              setDirty(false);
              setShownError(null);
            }}
            data-testid="picklist-reset"
          >
            {t("picklists.discard")}
          </Button>
          <Button type="primary" disabled={!dirty} loading={replace.isPending} onClick={() => void save()} data-testid="picklist-save">
            {t("common.save")}
          </Button>
        </Flex>
      ) : null}
    </Flex>
  );
}

/** 选项设置: the option lists behind customer level, source, industry and follow-up type. */
export function PicklistsPage() {
  const { t } = useTranslation();
  const lists = usePicklists();
  const [active, setActive] = useState<PicklistKey>("customer.level");

  return (
    <Card title={t("picklists.title")} data-testid="picklists-page">
      {lists.isError ? (
        <LoadError onRetry={() => void lists.refetch()} />
      ) : (
        <Tabs
          activeKey={active}
          onChange={(key) => setActive(key as PicklistKey)}
          items={PICKLIST_KEYS.map((key) => ({
            key,
            label: <span data-testid={`picklist-tab-${key}`}>{t(`picklists.list.${key}`)}</span>,
            children: lists.data ? (
              <PicklistEditor key={`${key}-${lists.dataUpdatedAt}`} listKey={key} options={lists.data.lists[key] ?? []} />
            ) : null,
          }))}
        />
      )}
    </Card>
  );
}
