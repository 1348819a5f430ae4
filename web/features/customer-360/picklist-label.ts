import { useCallback } from "react";
import { usePicklist } from "../picklists/picklists-api";
import type { PicklistKey } from "../picklists/picklists-api";

/** Maps a stored value to its option label (in the UI language), falling back to the value itself. */
export function usePicklistLabel(key: PicklistKey): (value: string | null | undefined) => string {
  const options = usePicklist(key);
  return useCallback(
    (value: string | null | undefined) => {
      if (value === null || value === undefined || value === "") {
        return "—";
      }
      return options.find((option) => option.value === value)?.label ?? value;
    },
    [options],
  );
}
