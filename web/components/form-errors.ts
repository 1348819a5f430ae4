import type { FormInstance } from "antd";
import { ApiError } from "../app/api";

/** Where the server says the problem is: "body.email", "/email" or "email" all mean "email". */
function fieldOf(path: string): string {
  const cleaned = path
    .replace(/^[/.]+/, "")
    .replace(/^(body|querystring|query|params)[./]/, "");
  return cleaned.split(/[./]/)[0] ?? "";
}

/**
 * Shows the server's per-field errors (`errors[].path`) under the matching form fields.
 * `aliases` maps a server field name to the form's (e.g. password → newPassword).
 * Returns true when at least one error was attached to a field.
 */
export function applyServerFieldErrors<T>(
  form: FormInstance<T>,
  error: unknown,
  fields: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): boolean {
  if (!(error instanceof ApiError) || error.errors.length === 0) {
    return false;
  }
  const byField = new Map<string, string[]>();
  for (const item of error.errors) {
    const raw = fieldOf(item.path);
    const name = aliases[raw] ?? raw;
    if (fields.includes(name)) {
      byField.set(name, [...(byField.get(name) ?? []), item.message]);
    }
  }
  if (byField.size === 0) {
    return false;
  }
  form.setFields([...byField.entries()].map(([name, errors]) => ({ name: name as never, errors })));
  return true;
}
