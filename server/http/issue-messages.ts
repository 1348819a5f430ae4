import { en, zhCN } from 'zod/locales';
import type { Locale } from '../../common/locale';

const english = en().localeError;
const chinese = zhCN().localeError;

interface IssueLike {
  code: string;
  message: string;
  params: Record<string, unknown>;
}

/**
 * The message of one validation issue in the caller's language. Zod writes its built-in messages
 * in English; when an issue still carries zod's own English text it is re-rendered in Chinese for
 * zh-CN callers. A message a schema author wrote by hand (a regex hint, a refine) is kept as written,
 * since we cannot tell its translation.
 */
export function localizeIssueMessage(issue: IssueLike, locale: Locale): string {
  if (locale !== 'zh-CN') {
    return issue.message;
  }
  // The locale functions read the issue's own fields (origin, minimum, expected, keys, …).
  const input = 'input' in issue.params ? issue.params.input : sampleOf(/received (\w+)/.exec(issue.message)?.[1]);
  const raw = { ...issue.params, code: issue.code, path: [], message: issue.message, input } as Parameters<typeof english>[0];
  const ownEnglish = readMessage(english(raw));
  if (ownEnglish === undefined || ownEnglish !== issue.message) {
    return issue.message;
  }
  return readMessage(chinese(raw)) ?? issue.message;
}

/**
 * Issues do not carry the rejected input (zod leaves it out unless asked), but the type messages
 * name its kind ("received number"); a sample of that kind renders the same text.
 */
function sampleOf(kind: string | undefined): unknown {
  const samples: Record<string, unknown> = { number: 0, string: '', boolean: false, null: null, array: [], object: {}, bigint: 0n, date: new Date(0) };
  return kind !== undefined && kind in samples ? samples[kind] : undefined;
}

function readMessage(result: unknown): string | undefined {
  if (typeof result === 'string') {
    return result;
  }
  if (result && typeof result === 'object' && 'message' in result && typeof result.message === 'string') {
    return result.message;
  }
  return undefined;
}
