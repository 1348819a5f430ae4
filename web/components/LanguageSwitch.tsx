import { GlobalOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Button, Dropdown } from "antd";
import type { MenuProps } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../app/api";
import type { Me, User } from "../app/api-types";
import { changeLanguage, currentLanguage, LANGUAGES } from "../app/i18n";
import type { AppLanguage } from "../app/i18n";
import { meQueryKey } from "../app/session";
import { useNotify } from "./use-notify";

const LABELS: Record<AppLanguage, string> = { "zh-CN": "简体中文", en: "English" };

/** Header/login language picker; when signed in, the choice is saved to the profile. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const notify = useNotify();
  const language = currentLanguage();

  const select = async (lang: AppLanguage) => {
    await changeLanguage(lang, true);
    const me = queryClient.getQueryData<Me | null>(meQueryKey);
    if (!me) {
      return;
    }
    try {
      const { user } = await api.patch<{ user: User }>("/auth/me", { locale: lang });
      queryClient.setQueryData<Me | null>(meQueryKey, (old) => (old ? { ...old, user } : old));
    } catch (error) {
      notify.error(error);
    }
  };

  const items: MenuProps["items"] = LANGUAGES.map((lang) => ({
    key: lang,
    label: <span data-testid={`lang-option-${lang}`}>{LABELS[lang]}</span>,
  }));

  return (
    <Dropdown
      trigger={["click"]}
      menu={{
        items,
        selectable: true,
        selectedKeys: [language],
        onClick: ({ key }) => {
          void select(key as AppLanguage);
        },
      }}
    >
      <Button type="text" icon={<GlobalOutlined />} data-testid="lang-switch" aria-label={t("common.language")}>
        {LABELS[language]}
      </Button>
    </Dropdown>
  );
}
