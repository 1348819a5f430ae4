import { QueryClientProvider } from "@tanstack/react-query";
import { App as AntApp, ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { RouterProvider } from "react-router";
import { setUnauthorizedHandler } from "./api";
import { normalizeLanguage } from "./i18n";
import { createQueryClient } from "./query-client";
import { createRouter } from "./router";
import { meQueryKey } from "./session";

export function App() {
  const { t, i18n } = useTranslation();
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createRouter);
  const language = normalizeLanguage(i18n.language) ?? "en";

  useEffect(() => {
    // A 401 on any ordinary call means the session ended: forget the user, and the
    // auth guard sends them to the login page.
    setUnauthorizedHandler(() => {
      queryClient.setQueryData(meQueryKey, null);
    });
    return () => {
      setUnauthorizedHandler(null);
    };
  }, [queryClient]);

  useEffect(() => {
    document.title = t("app.name");
  }, [t, language]);

  return (
    <QueryClientProvider client={queryClient}>
      <ConfigProvider locale={language === "zh-CN" ? zhCN : enUS} theme={{ token: { colorPrimary: "#1677ff" } }}>
        <AntApp>
          <RouterProvider router={router} />
        </AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
