import { useMemo } from "react";
import { useSearchParams } from "react-router";

/** How a change enters the browser history. */
export interface UrlWrite {
  /**
   * In place (typing in a search box), rather than as a new entry that Back undoes (a filter, a
   * sort, a saved view), so history is not flooded with keystrokes.
   */
  replace?: boolean;
}

/**
 * A page's state kept in the URL's query string and nowhere else, so Back, reload and a shared link
 * all bring it back. `decode` must be stable (a module function or memoised): the state is decoded
 * once per query string, which keeps generated ids (filter conditions) stable between renders.
 */
export function useUrlState<S>(decode: (params: URLSearchParams) => S, encode: (state: S) => URLSearchParams): [S, (next: S, how?: UrlWrite) => void] {
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const state = useMemo(() => decode(new URLSearchParams(search)), [decode, search]);
  const write = (next: S, how: UrlWrite = {}) => {
    const encoded = encode(next);
    // The same list again (a view picked twice, a filter re-applied) is no new history entry.
    if (encoded.toString() !== search) {
      setParams(encoded, { replace: how.replace === true });
    }
  };
  return [state, write];
}
