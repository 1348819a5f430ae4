import type { TFunction } from "i18next";
import { ApiError } from "../app/api";

/**
 * The text to show for a failed call: the server's translated title (or our own
 * translation of the error code), followed by the server's detail when it adds anything.
 */
export function errorText(error: unknown, t: TFunction): string {
  if (!(error instanceof ApiError)) {
    return t("error.unknown");
  }
  const title = error.title ?? t(`error.${error.code}`, { defaultValue: t("error.unknown") });
  const detail =
    error.detail ?? (error.errors.length > 0 ? error.errors.map((item) => item.message).join("; ") : null);
  if (!detail || detail === title) {
    return title;
  }
  return t("error.withDetail", { title, detail });
}
