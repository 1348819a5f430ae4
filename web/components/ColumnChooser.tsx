import { ArrowDownOutlined, ArrowUpOutlined, SettingOutlined } from "@ant-design/icons";
import { Button, Checkbox, Flex, Popover, Typography } from "antd";
import { useTranslation } from "react-i18next";

export interface ColumnChooserProps {
  /** Columns the user may show (built-in and custom), already filtered by field rules. */
  available: readonly { key: string; title: string }[];
  chosen: string[];
  /** What "reset" goes back to. */
  defaults: string[];
  onChange: (columns: string[]) => void;
  /** Locale key holding button/title/hidden/reset/moveUp/moveDown, e.g. "customers.columns". */
  i18nKey: string;
  /** Prefix of the test ids inside the popover ("" for customers, "lead-" for leads). */
  testIdPrefix: string;
  buttonTestId: string;
}

/** Picks and orders a list's shown columns. The name column always stays. */
export function ColumnChooser({ available, chosen, defaults, onChange, i18nKey, testIdPrefix, buttonTestId }: ColumnChooserProps) {
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
    <Flex vertical gap={2} style={{ width: 280, maxHeight: 420, overflowY: "auto" }} data-testid={`${testIdPrefix}column-chooser`}>
      {shown.map((key, index) => (
        <Flex key={key} align="center" justify="space-between">
          <Checkbox
            checked
            disabled={key === "name"}
            onChange={() => onChange(shown.filter((k) => k !== key))}
            data-testid={`${testIdPrefix}column-toggle-${key}`}
          >
            {byKey.get(key)?.title ?? key}
          </Checkbox>
          <span>
            <Button
              type="text"
              size="small"
              icon={<ArrowUpOutlined />}
              disabled={index === 0}
              aria-label={t(`${i18nKey}.moveUp`)}
              onClick={() => move(index, -1)}
            />
            <Button
              type="text"
              size="small"
              icon={<ArrowDownOutlined />}
              disabled={index === shown.length - 1}
              aria-label={t(`${i18nKey}.moveDown`)}
              onClick={() => move(index, 1)}
            />
          </span>
        </Flex>
      ))}
      {rest.length > 0 ? (
        <Typography.Text type="secondary" style={{ marginTop: 8 }}>
          {t(`${i18nKey}.hidden`)}
        </Typography.Text>
      ) : null}
      {rest.map((column) => (
        <Checkbox
          key={column.key}
          checked={false}
          onChange={() => onChange([...shown, column.key])}
          data-testid={`${testIdPrefix}column-toggle-${column.key}`}
        >
          {column.title}
        </Checkbox>
      ))}
      <Button
        type="link"
        onClick={() => onChange(defaults)}
        data-testid={`${testIdPrefix}column-chooser-reset`}
        style={{ alignSelf: "flex-start", padding: 0 }}
      >
        {t(`${i18nKey}.reset`)}
      </Button>
    </Flex>
  );

  return (
    <Popover trigger="click" placement="bottomRight" title={t(`${i18nKey}.title`)} content={content}>
      <Button icon={<SettingOutlined />} data-testid={buttonTestId}>
        {t(`${i18nKey}.button`)}
      </Button>
    </Popover>
  );
}
