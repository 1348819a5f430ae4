import { Form, Input, Modal } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Department } from "../../app/api-types";
import { applyServerFieldErrors } from "../../components/form-errors";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { UserSelect } from "../users/UserSelect";
import { useCreateDepartment, useUpdateDepartment } from "./departments-api";
import { DepartmentTreeSelect } from "./DepartmentTreeSelect";

export type DepartmentDialog =
  | { kind: "create"; parentId: string | null }
  | { kind: "rename"; department: Department }
  | { kind: "leader"; department: Department };

interface DepartmentValues {
  name?: string;
  parentId?: string | null;
  leaderId?: string | null;
}

const TITLES: Record<DepartmentDialog["kind"], string> = {
  create: "departments.createTitle",
  rename: "departments.renameTitle",
  leader: "departments.leaderTitle",
};

export function DepartmentFormModal({ dialog, onClose }: { dialog: DepartmentDialog; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<DepartmentValues>();
  const create = useCreateDepartment();
  const update = useUpdateDepartment();
  const [initial] = useState<DepartmentValues>(() =>
    dialog.kind === "create"
      ? { name: "", parentId: dialog.parentId, leaderId: null }
      : { name: dialog.department.name, leaderId: dialog.department.leaderId },
  );

  const submit = async () => {
    let values: DepartmentValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    try {
      if (dialog.kind === "create") {
        await create.mutateAsync({
          name: (values.name ?? "").trim(),
          parentId: values.parentId ?? null,
          leaderId: values.leaderId ?? null,
        });
      } else if (dialog.kind === "rename") {
        await update.mutateAsync({ department: dialog.department, changes: { name: (values.name ?? "").trim() } });
      } else {
        await update.mutateAsync({ department: dialog.department, changes: { leaderId: values.leaderId ?? null } });
      }
      notify.success(t("common.saved"));
      onClose();
    } catch (error) {
      if (!applyServerFieldErrors(form, error, ["name", "parentId", "leaderId"])) {
        notify.error(error);
      }
    }
  };

  const showName = dialog.kind !== "leader";
  const showLeader = dialog.kind !== "rename";

  return (
    <Modal
      open
      title={t(TITLES[dialog.kind])}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      okButtonProps={testId("dept-form-submit")}
      destroyOnHidden
    >
      <Form<DepartmentValues>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={() => void submit()}
        data-testid="dept-form"
      >
        {showName ? (
          <Form.Item
            name="name"
            label={t("departments.name")}
            rules={[{ required: true, whitespace: true, message: t("validation.required") }]}
          >
            <Input data-testid="dept-form-name" autoFocus />
          </Form.Item>
        ) : null}
        {dialog.kind === "create" ? (
          <Form.Item name="parentId" label={t("departments.parent")} extra={t("departments.parentHint")}>
            <DepartmentTreeSelect testId="dept-form-parent" placeholder={t("departments.noParent")} />
          </Form.Item>
        ) : null}
        {showLeader ? (
          <Form.Item name="leaderId" label={t("departments.leader")}>
            <UserSelect
              testId="dept-form-leader"
              initialLabel={dialog.kind === "leader" ? dialog.department.leaderName : null}
            />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
