import { DatePicker } from "antd";
import type { Rule } from "antd/es/form";
import dayjs from "dayjs";
import type { Dayjs } from "dayjs";
import { useTranslation } from "react-i18next";

/** Content of a follow-up: required, at most 10 000 characters (as the server checks). */
export function useContentRules(): Rule[] {
  const { t } = useTranslation();
  return [
    { required: true, whitespace: true, message: t("validation.required") },
    { max: 10_000, message: t("followUps.contentTooLong", { max: 10_000 }) },
  ];
}

/**
 * The next contact time of a new follow-up: today or later, with presets (tomorrow 9:00, in three
 * days, next week). A Form.Item child: value / onChange come from the form.
 */
export function NextContactPicker({ testId, value, onChange }: { testId: string; value?: Dayjs | null; onChange?: (value: Dayjs | null) => void }) {
  const { t } = useTranslation();
  const tomorrowAtNine = dayjs().add(1, "day").hour(9).minute(0).second(0).millisecond(0);
  return (
    <DatePicker
      value={value ?? null}
      onChange={(next) => onChange?.(next)}
      showTime={{ format: "HH:mm" }}
      format="YYYY-MM-DD HH:mm"
      data-testid={testId}
      disabledDate={(date) => date.isBefore(dayjs().startOf("day"))}
      presets={[
        { label: t("followUps.preset.tomorrow"), value: tomorrowAtNine },
        { label: t("followUps.preset.threeDays"), value: tomorrowAtNine.add(2, "day") },
        { label: t("followUps.preset.nextWeek"), value: tomorrowAtNine.add(6, "day") },
      ]}
    />
  );
}
