import { UploadOutlined } from "@ant-design/icons";
import { Button } from "antd";
import type { ButtonProps } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useCan } from "../../app/session";

/**
 * "Import" for the customers list page: opens the import wizard. Renders nothing without the
 * customer:import permission.
 */
export function ImportButton({ entity = "customer", ...props }: { entity?: "customer" | "contact" } & Omit<ButtonProps, "onClick">) {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  if (!can(`${entity}:import`)) {
    return null;
  }
  return (
    <Button
      icon={<UploadOutlined />}
      data-testid="import-button"
      {...props}
      onClick={() => void navigate(entity === "contact" ? "/customers/import?entity=contact" : "/customers/import")}
    >
      {t("imports.button")}
    </Button>
  );
}
