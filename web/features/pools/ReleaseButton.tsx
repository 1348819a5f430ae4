import { CloudUploadOutlined } from "@ant-design/icons";
import { Button } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSession } from "../../app/session";
import { ReleaseModal } from "./ReleaseModal";

/**
 * "Put into the pool" on the customer 360 page: shown to the owner and to whoever may transfer the
 * customer (the server checks that their scope covers the owner).
 */
export function ReleaseButton({ customer }: { customer: { id: string; name: string; ownerId?: string | null; access: { transfer: boolean } } }) {
  const { t } = useTranslation();
  const me = useSession();
  const [open, setOpen] = useState(false);
  // No owner (already in a pool) or the owner field hidden from this user: nothing to release here.
  if (!customer.ownerId || !(customer.ownerId === me.user.id || customer.access.transfer)) {
    return null;
  }
  return (
    <>
      <Button icon={<CloudUploadOutlined />} onClick={() => setOpen(true)} data-testid="pool-release">
        {t("pools.release.button")}
      </Button>
      {open ? <ReleaseModal customerIds={[customer.id]} name={customer.name} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
