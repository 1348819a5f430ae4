import type { FormRule } from "antd";
import type { TFunction } from "i18next";

/** Mirrors the server's policy so most mistakes are caught before sending. */
export const MIN_PASSWORD_LENGTH = 10;

/** Rules for a new password; `emailField` names a sibling field it must not equal. */
export function newPasswordRules(t: TFunction, emailField?: string, fixedEmail?: string): FormRule[] {
  return [
    { required: true, message: t("validation.required") },
    { min: MIN_PASSWORD_LENGTH, message: t("validation.passwordMin", { min: MIN_PASSWORD_LENGTH }) },
    ({ getFieldValue }) => ({
      validator: (_rule, value: unknown) => {
        const email = String((emailField ? getFieldValue(emailField) : fixedEmail) ?? "")
          .trim()
          .toLowerCase();
        if (typeof value === "string" && email && value.trim().toLowerCase() === email) {
          return Promise.reject(new Error(t("validation.passwordNotEmail")));
        }
        return Promise.resolve();
      },
    }),
  ];
}

/** Rules for a "repeat the password" field. */
export function confirmPasswordRules(t: TFunction, passwordField: string): FormRule[] {
  return [
    { required: true, message: t("validation.required") },
    ({ getFieldValue }) => ({
      validator: (_rule, value: unknown) =>
        !value || value === getFieldValue(passwordField)
          ? Promise.resolve()
          : Promise.reject(new Error(t("validation.passwordMismatch"))),
    }),
  ];
}
