import { ArrowDownOutlined, ArrowUpOutlined, SettingOutlined } from "@ant-design/icons";
import { Button, Checkbox, Flex, Popover, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { DEFAULT_LEAD_COLUMNS, type LeadColumn } from "./lead-columns";

/** Picks and orders the lead list's columns (built-in and custom). The name column always stays. */
export function LeadColumnChooser({ available, chosen, onChange }: { available: LeadColumn[]; chosen: string[]; onChange: (columns: string[]) => void }) {
  const { t } = useTranslation();
  const shown = chosen.filter((key) => available.some((c) => c.key === key));
  const rest = available.filter((c) => !shown.includes(c.key));
  const byKey = new Map(available.map((c) => [c.key, c]));

  const move = (index: number, delta: number) => {
    const next = [...shown];
    const [item] = next.splice(index, 1);
    if (item !== undefined) {
      next.splice(index + delta, 0, item);
      onChange(next);
    }
  };

  const content = (
    <Flex vertical gap={2} style={{ width: 260, maxHeight: 420, overflowY: "auto" }} data-testid="lead-column-chooser">
      {shown.map((key, index) => (
        <Flex key={key} align="center" justify="space-between">
          <Checkbox checked disabled={key === "name"} onChange={() => onChange(shown.filter((k) => k !== key))} data-testid={`lead-column-toggle-${key}`}>
            {byKey.get(key)?.title ?? key}
          </Checkbox>
          <span>
            <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={index === 0} aria-label={t("leads.columns.moveUp")} onClick={() => move(index, -1)} />
            <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={index === shown.length - 1} aria-label={t("leads.columns.moveDown")} onClick={() => move(index, 1)} />
          </span>
        </Flex>
      ))}
      {rest.length > 0 ? (
        <Typography.Text type="secondary" style={{ marginTop: 8 }}>
          {t("leads.columns.hidden")}
        </Typography.Text>
      ) : null}
      {rest.map((column) => (
        <Checkbox key={column.key} checked={false} onChange={() => onChange([...shown, column.key])} data-testid={`lead-column-toggle-${column.key}`}>
          {column.title}
        </Checkbox>
      ))}
      <Button type="link" onClick={() => onChange(DEFAULT_LEAD_COLUMNS)} data-testid="lead-column-reset" style={{ alignSelf: "flex-start", padding: 0 }}>
        {t("leads.columns.reset")}
      </Button>
    </Flex>
  );

  return (
    <Popover trigger="click" placement="bottomRight" title={t("leads.columns.title")} content={content}>
      <Button icon={<SettingOutlined />} data-testid="leads-columns">
        {t("leads.columns.button")}
      </Button>
    </Popover>
  );
}
