import { Select, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { TAG_COLORS } from "../tags/tags-api";

interface ColorSelectProps {
  value?: string | null;
  onChange?: (value: string | null) => void;
  allowClear?: boolean;
  disabled?: boolean;
  testId?: string;
  width?: number;
}

/** One of the preset colours (the server accepts these names), shown as a sample tag. */
export function ColorSelect({ value, onChange, allowClear = true, disabled, testId, width = 120 }: ColorSelectProps) {
  const { t } = useTranslation();
  return (
    <Select<string>
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      allowClear={allowClear}
      disabled={disabled}
      placeholder={t("picklists.noColor")}
      style={{ width }}
      data-testid={testId}
      options={TAG_COLORS.map((color) => ({ value: color, label: <Tag color={color}>{t(`picklists.color.${color}`)}</Tag> }))}
    />
  );
}
