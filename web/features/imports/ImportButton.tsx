import { UploadOutlined } from "@ant-design/icons";
import { Button } from "antd";
import type { ButtonProps } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useCan } from "../../app/session";
import type { ImportEntity } from "./imports-api";

/** Where the wizard opens preset to an entity. */
export function importWizardPath(entity: ImportEntity): string {
  return entity === "customer" ? "/customers/import" : `/customers/import?entity=${encodeURIComponent(entity)}`;
}

/**
 * "Import" for a list page (customers, leads, products, …): opens the import wizard preset to
 * that entity. Renders nothing without the `<entity>:import` permission.
 */
export function ImportButton({ entity = "customer", ...props }: { entity?: ImportEntity } & Omit<ButtonProps, "onClick">) {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  if (!can(`${entity}:import`)) {
    return null;
  }
  return (
    <Button icon={<UploadOutlined />} data-testid="import-button" {...props} onClick={() => void navigate(importWizardPath(entity))}>
      {t("imports.button")}
    </Button>
  );
}
