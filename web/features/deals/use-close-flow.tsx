import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNotify } from "../../components/use-notify";
import { CloseDealModal } from "./CloseDealModal";
import { useCloseDeal } from "./deals-api";
import type { ClosedStatus, Deal } from "./deals-types";

/** Won closes at once; lost and invalid ask for the reason first. Returns the trigger and its modal. */
export function useCloseFlow(onClosed?: () => void) {
  const { t } = useTranslation();
  const notify = useNotify();
  const close = useCloseDeal();
  const [pending, setPending] = useState<{ deal: Deal; status: ClosedStatus } | null>(null);
  const run = (deal: Deal, status: ClosedStatus, reason: string | null) => {
    close.mutate(
      { deal, status, reason },
      {
        onSuccess: () => {
          setPending(null);
          notify.success(t(`deals.close.done.${status}`));
          onClosed?.();
        },
        onError: (error) => notify.error(error),
      },
    );
  };
  const request = (deal: Deal, status: ClosedStatus) => {
    if (status === "won") {
      run(deal, status, null);
    } else {
      setPending({ deal, status });
    }
  };
  const modal = (
    <CloseDealModal
      status={pending?.status ?? null}
      dealName={pending?.deal.name ?? ""}
      pending={close.isPending}
      onCancel={() => setPending(null)}
      onConfirm={(reason) => pending && run(pending.deal, pending.status, reason)}
    />
  );
  return { request, modal };
}
