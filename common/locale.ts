export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];

/** Picks our locale from an Accept-Language header (or a stored preference). */
export function pickLocale(header: string | undefined | null): Locale {
  if (!header) {
    return 'en';
  }
  for (const part of header.split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
    if (tag.startsWith('zh')) {
      return 'zh-CN';
    }
    if (tag.startsWith('en')) {
      return 'en';
    }
  }
  return 'en';
}
