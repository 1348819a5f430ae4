import { ArrowDownOutlined, ArrowUpOutlined, SettingOutlined } from "@ant-design/icons";
import { Button, Checkbox, Flex, Popover, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { ColumnDef } from "./customer-columns";
import { DEFAULT_COLUMNS } from "./customer-columns";

interface ColumnChooserProps {
  available: ColumnDef[];
  chosen: string[];
  onChange: (columns: string[]) => void;
}

/** Picks and orders the shown columns (built-in and custom). The name column always stays. */
export function ColumnChooser({ available, chosen, onChange }: ColumnChooserProps) {
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
    <Flex vertical gap={2} style={{ width: 280, maxHeight: 420, overflowY: "auto" }} data-testid="column-chooser">
      {shown.map((key, index) => (
        <Flex key={key} align="center" justify="space-between">
          <Checkbox
            checked
            disabled={key === "name"}
            onChange={() => onChange(shown.filter((k) => k !== key))}
            data-testid={`column-toggle-${key}`}
          >
            {byKey.get(key)?.title ?? key}
          </Checkbox>
          <span>
            <Button
              type="text"
              size="small"
              icon={<ArrowUpOutlined />}
              disabled={index === 0}
              aria-label={t("customers.columns.moveUp")}
              onClick={() => move(index, -1)}
            />
            <Button
              type="text"
              size="small"
              icon={<ArrowDownOutlined />}
              disabled={index === shown.length - 1}
              aria-label={t("customers.columns.moveDown")}
              onClick={() => move(index, 1)}
            />
          </span>
        </Flex>
      ))}
      {rest.length > 0 ? (
        <Typography.Text type="secondary" style={{ marginTop: 8 }}>
          {t("customers.columns.hidden")}
        </Typography.Text>
      ) : null}
      {rest.map((column) => (
        <Checkbox
          key={column.key}
          checked={false}
          onChange={() => onChange([...shown, column.key])}
          data-testid={`column-toggle-${column.key}`}
        >
          {column.title}
        </Checkbox>
      ))}
      <Button type="link" onClick={() => onChange(DEFAULT_COLUMNS)} data-testid="column-chooser-reset" style={{ alignSelf: "flex-start", padding: 0 }}>
        {t("customers.columns.reset")}
      </Button>
    </Flex>
  );

  return (
    <Popover trigger="click" placement="bottomRight" title={t("customers.columns.title")} content={content}>
      <Button icon={<SettingOutlined />} data-testid="customers-columns">
        {t("customers.columns.button")}
      </Button>
    </Popover>
  );
}
