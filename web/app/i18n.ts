/// <reference types="vite/client" />
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "../locales/en.json";
import zhCN from "../locales/zh-CN.json";

export type AppLanguage = "zh-CN" | "en";

export const LANGUAGES: readonly AppLanguage[] = ["zh-CN", "en"];

const STORAGE_KEY = "haoke.locale";

/** Maps any BCP-47 tag to one of the two UI languages: zh* → zh-CN, everything else → en. */
export function normalizeLanguage(tag: string | null | undefined): AppLanguage | null {
  if (!tag) {
    return null;
  }
  return tag.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

function readStoredLanguage(): AppLanguage | null {
  try {
    return normalizeLanguage(window.localStorage.getItem(STORAGE_KEY));
  } catch {
    return null;
  }
}

/** A choice made on this device before signing in wins over the browser's language. */
export function initialLanguage(): AppLanguage {
  const stored = readStoredLanguage();
  if (stored) {
    return stored;
  }
  const browser = navigator.languages.length > 0 ? navigator.languages : [navigator.language];
  return normalizeLanguage(browser[0]) ?? "en";
}

function applySideEffects(lang: AppLanguage): void {
  document.documentElement.lang = lang;
  dayjs.locale(lang === "zh-CN" ? "zh-cn" : "en");
}

export function currentLanguage(): AppLanguage {
  return normalizeLanguage(i18n.language) ?? "en";
}

/** Switches the UI language; `remember` keeps the choice on this device. */
export async function changeLanguage(lang: AppLanguage, remember = false): Promise<void> {
  if (remember) {
    try {
      window.localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // Private mode: the choice simply is not remembered.
    }
  }
  applySideEffects(lang);
  if (i18n.language !== lang) {
    await i18n.changeLanguage(lang);
  }
}

const startLanguage = initialLanguage();
applySideEffects(startLanguage);

type Messages = { [key: string]: string | Messages };

/**
 * Each feature may keep its own strings in `web/features/<feature>/locales/{en,zh-CN}.json`, so
 * features added side by side never edit one shared file. They are merged over the shared
 * dictionaries at start-up (a feature's file wins on a clash).
 */
const featureLocales = import.meta.glob<Messages>("../features/*/locales/*.json", { eager: true, import: "default" });

function mergeMessages(target: Messages, source: Messages): Messages {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    target[key] =
      typeof value === "object" && typeof existing === "object" ? mergeMessages({ ...existing }, value) : value;
  }
  return target;
}

function dictionary(lang: AppLanguage, base: Messages): Messages {
  let merged: Messages = { ...base };
  for (const [path, messages] of Object.entries(featureLocales)) {
    if (path.endsWith(`/${lang}.json`)) {
      merged = mergeMessages(merged, messages);
    }
  }
  return merged;
}

void i18n.use(initReactI18next).init({
  resources: {
    "zh-CN": { translation: dictionary("zh-CN", zhCN) },
    en: { translation: dictionary("en", en) },
  },
  lng: startLanguage,
  fallbackLng: "en",
  supportedLngs: [...LANGUAGES],
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

export { i18n };
