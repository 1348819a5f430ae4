import { EyeOutlined } from "@ant-design/icons";
import { Alert, Button, Flex } from "antd";
import { useTranslation } from "react-i18next";
import { useNotify } from "../../components/use-notify";
import { useRecyclePreview } from "./pools-api";
import type { PoolInput } from "./pools-types";

type Proposal = Pick<PoolInput, "exemptDealt" | "exemptLocked" | "rules">;

/**
 * In the pool form: "How many would go back now?" — counts, without saving, the customers the
 * recycling job would take back tonight with the rules and exemptions as they stand in the form.
 */
export function RecyclePreviewButton({ poolId, read }: { poolId: string; read: () => Proposal }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const preview = useRecyclePreview(poolId);
  const result = preview.data;
  return (
    <Flex vertical gap={8} align="flex-start">
      <Button
        icon={<EyeOutlined />}
        loading={preview.isPending}
        data-testid="pool-settings-recycle-preview"
        onClick={async () => {
          try {
            await preview.mutateAsync(read());
          } catch (error) {
            notify.error(error);
          }
        }}
      >
        {t("pools.preview.button")}
      </Button>
      {result && !preview.isPending ? (
        <Alert
          type={result.total > 0 ? "warning" : "info"}
          showIcon
          data-testid="pool-settings-recycle-preview-result"
          message={t("pools.preview.total", { count: result.total })}
          description={
            result.total > 0
              ? Object.entries(result.byRule)
                  .map(([rule, count]) => `${t(`pools.runs.rules.${rule}`, { defaultValue: rule })}: ${count}`)
                  .join(" · ")
              : undefined
          }
        />
      ) : null}
    </Flex>
  );
}
