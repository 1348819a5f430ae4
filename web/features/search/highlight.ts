/**
 * Where `term` occurs in `text`, as [start, end) ranges: case-insensitive; a term of digits with
 * spaces or dashes ("138 0013") also finds the digits run in a number written without them
 * (13800131000), as the server's phone search does.
 */
export function matchRanges(text: string, term: string): [number, number][] {
  const needle = term.trim().toLowerCase();
  if (needle === "") {
    return [];
  }
  const lower = text.toLowerCase();
  const ranges: [number, number][] = [];
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
    ranges.push([at, at + needle.length]);
  }
  const digits = needle.replace(/[\s-]+/g, "");
  if (ranges.length > 0 || digits === needle || !/^\d{3,}$/.test(digits)) {
    return ranges;
  }
  // Digits of the text with where each came from, so a match maps back onto the text as written.
  const positions: number[] = [];
  let only = "";
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      positions.push(i);
      only += text[i];
    }
  }
  for (let at = only.indexOf(digits); at >= 0; at = only.indexOf(digits, at + digits.length)) {
    ranges.push([positions[at] ?? 0, (positions[at + digits.length - 1] ?? 0) + 1]);
  }
  return ranges;
}
