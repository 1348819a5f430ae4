import { Form, Modal, Spin, Switch } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { LoadError } from "../../components/StatusResults";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { DepartmentTreeSelect } from "../departments/DepartmentTreeSelect";
import { useLeadSettings, useSaveLeadSettings } from "./leads-api";
import type { LeadSettings } from "./leads-types";

/** Automatic assignment: new leads without an owner go round-robin to a department's members. */
export function LeadSettingsModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const settings = useLeadSettings(true);
  if (settings.data) {
    return <SettingsForm initial={settings.data} onClose={onClose} />;
  }
  return (
    <Modal open title={t("leads.settings.title")} onCancel={onClose} footer={null}>
      {settings.isError ? <LoadError onRetry={() => void settings.refetch()} /> : <Spin />}
    </Modal>
  );
}

function SettingsForm({ initial, onClose }: { initial: LeadSettings; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const save = useSaveLeadSettings();
  const [departmentId, setDepartmentId] = useState<string | null>(initial.autoAssignDepartmentId);
  const [onCreate, setOnCreate] = useState(initial.autoAssignOnCreate);

  return (
    <Modal
      open
      title={t("leads.settings.title")}
      onCancel={onClose}
      onOk={() =>
        save.mutate(
          { autoAssignDepartmentId: departmentId, autoAssignOnCreate: onCreate },
          {
            onSuccess: () => {
              notify.success(t("common.saved"));
              onClose();
            },
            onError: (error) => notify.error(error),
          },
        )
      }
      okButtonProps={{ loading: save.isPending, disabled: onCreate && !departmentId, ...testId("lead-settings-save") }}
    >
      <Form layout="vertical" data-testid="lead-settings-modal">
        <Form.Item label={t("leads.settings.department")} extra={t("leads.settings.departmentHint")}>
          <DepartmentTreeSelect value={departmentId} onChange={setDepartmentId} testId="lead-settings-department" />
        </Form.Item>
        <Form.Item label={t("leads.settings.onCreate")} extra={t("leads.settings.onCreateHint")}>
          <Switch checked={onCreate} onChange={setOnCreate} data-testid="lead-settings-on-create" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
