export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];

function weight(params: string[]): number {
  const q = params.find((p) => p.trim().toLowerCase().startsWith('q='));
  if (q === undefined) {
    return 1;
  }
  const value = Number(q.trim().slice(2));
  return Number.isFinite(value) ? value : 0;
}

/**
 * Picks our locale from an Accept-Language header (or a stored preference): the supported
 * language with the highest q-value, earlier entries first on ties; `q=0` means "not this one".
 */
export function pickLocale(header: string | undefined | null): Locale {
  if (!header) {
    return 'en';
  }
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';');
      return { tag: tag.trim().toLowerCase(), q: weight(params), index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) {
      return 'zh-CN';
    }
    if (tag === 'en' || tag.startsWith('en-')) {
      return 'en';
    }
  }
  return 'en';
}
