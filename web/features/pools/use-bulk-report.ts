import { useTranslation } from "react-i18next";
import { useNotify } from "../../components/use-notify";
import type { BulkResult } from "./pools-types";

/** Tells how a per-customer bulk action went: all done, or which failed and why (in the UI language). */
export function useBulkReport() {
  const { t } = useTranslation();
  const notify = useNotify();
  return (result: BulkResult, doneKey: string) => {
    if (result.done.length > 0) {
      notify.success(t(doneKey, { count: result.done.length }));
    }
    if (result.failed.length > 0) {
      const reasons = [...new Set(result.failed.map((f) => t(`error.${f.code}`, { defaultValue: f.message })))];
      notify.failure(t("pools.failed", { count: result.failed.length, reasons: reasons.join("; ") }));
    }
  };
}
