import { App } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { errorText } from "./error-text";

export interface Notify {
  success: (text: string) => void;
  error: (error: unknown) => void;
  /** A failure described by our own text rather than an error object. */
  failure: (text: string) => void;
}

/** antd message notifications bound to the app's theme and locale. */
export function useNotify(): Notify {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return useMemo(
    () => ({
      success: (text: string) => {
        void message.success(text);
      },
      error: (error: unknown) => {
        void message.error(errorText(error, t));
      },
      failure: (text: string) => {
        void message.error(text);
      },
    }),
    [message, t],
  );
}
