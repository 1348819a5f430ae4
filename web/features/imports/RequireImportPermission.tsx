import type { ReactNode } from "react";
import { ForbiddenResult } from "../../components/StatusResults";
import { useCanImportAny } from "./import-entities";

/** Guards the wizard and the history: open to whoever may import any entity (`<entity>:import`). */
export function RequireImportPermission({ children }: { children: ReactNode }) {
  if (!useCanImportAny()) {
    return <ForbiddenResult />;
  }
  return children;
}
