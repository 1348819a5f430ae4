/**
 * The link for a web address a user typed (the API takes `acme.com` or `https://acme.com`):
 * http(s) only, so a stored value can never become a `javascript:` link; null for anything else.
 */
export function webHref(value: unknown): string | null {
  if (typeof value !== "string") {
    return null;
  }
  const text = value.trim();
  if (/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(text)) {
    return text;
  }
  return /^[\w-]+(\.[\w-]+)+(\/\S*)?$/.test(text) ? `https://${text}` : null;
}
