import { Form, Input, Modal } from "antd";
import type { ReactNode } from "react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { User } from "../../app/api-types";
import { useFieldRules } from "../../app/session";
import { applyServerFieldErrors } from "../../components/form-errors";
import { MIN_PASSWORD_LENGTH, newPasswordRules } from "../../components/password-rules";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { DepartmentTreeSelect } from "../departments/DepartmentTreeSelect";
import { RoleMultiSelect } from "../roles/RoleSelect";
import { UserSelect } from "./UserSelect";
import { useCreateUser, useUpdateUser } from "./users-api";
import type { UpdateUserInput } from "./users-api";

interface UserFormValues {
  name: string;
  email: string;
  phone?: string;
  departmentId?: string | null;
  managerId?: string | null;
  roleIds: string[];
  password?: string;
}

const FORM_FIELDS = ["name", "email", "phone", "departmentId", "managerId", "roleIds", "password"] as const;

function emptyToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
}

function initialValues(user: User | null): UserFormValues {
  return {
    name: user?.name ?? "",
    email: user?.email ?? "",
    phone: user?.phone ?? "",
    departmentId: user?.departmentId ?? null,
    managerId: user?.managerId ?? null,
    roleIds: user?.roleIds ?? [],
  };
}

/** Only what the admin changed is sent, so masked values shown in the form are never written back. */
function diff(user: User, values: UserFormValues): UpdateUserInput {
  const changes: UpdateUserInput = {};
  if (values.name.trim() !== user.name) {
    changes.name = values.name.trim();
  }
  if (values.email.trim() !== user.email) {
    changes.email = values.email.trim();
  }
  if (values.phone !== undefined && emptyToNull(values.phone) !== user.phone) {
    changes.phone = emptyToNull(values.phone);
  }
  if ((values.departmentId ?? null) !== user.departmentId) {
    changes.departmentId = values.departmentId ?? null;
  }
  if ((values.managerId ?? null) !== user.managerId) {
    changes.managerId = values.managerId ?? null;
  }
  const before = [...user.roleIds].sort().join(",");
  if ([...values.roleIds].sort().join(",") !== before) {
    changes.roleIds = values.roleIds;
  }
  return changes;
}

export function UserFormModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<UserFormValues>();
  const fieldRule = useFieldRules("user");
  const createUser = useCreateUser();
  const updateUser = useUpdateUser();
  const [initial] = useState(() => initialValues(user));
  const saving = createUser.isPending || updateUser.isPending;

  const submit = async () => {
    let values: UserFormValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    try {
      if (user) {
        const changes = diff(user, values);
        if (Object.keys(changes).length > 0) {
          await updateUser.mutateAsync({ id: user.id, version: user.version, changes });
        }
      } else {
        await createUser.mutateAsync({
          name: values.name.trim(),
          email: values.email.trim(),
          phone: emptyToNull(values.phone),
          departmentId: values.departmentId ?? null,
          managerId: values.managerId ?? null,
          roleIds: values.roleIds,
          password: values.password ?? "",
        });
      }
      notify.success(t("common.saved"));
      onClose();
    } catch (error) {
      if (!applyServerFieldErrors(form, error, FORM_FIELDS)) {
        notify.error(error);
      }
    }
  };

  /** Applies the viewer's field permission: hidden fields are left out, read-only ones disabled. */
  const field = (key: string, render: (readOnly: boolean) => ReactNode) => {
    const rule = fieldRule(key);
    if (rule.access === "hidden") {
      return null;
    }
    return render(rule.access === "read");
  };

  return (
    <Modal
      open
      title={user ? t("users.editTitle") : t("users.createTitle")}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={saving}
      okButtonProps={testId("user-form-submit")}
      cancelButtonProps={testId("user-form-cancel")}
      destroyOnHidden
      width={560}
    >
      <Form<UserFormValues> form={form} layout="vertical" initialValues={initial} data-testid="user-form">
        {field("name", (readOnly) => (
          <Form.Item
            name="name"
            label={t("field.user.name")}
            rules={[{ required: true, whitespace: true, message: t("validation.required") }]}
          >
            <Input data-testid="user-form-name" disabled={readOnly} />
          </Form.Item>
        ))}
        {field("email", (readOnly) => (
          <Form.Item
            name="email"
            label={t("field.user.email")}
            rules={
              readOnly
                ? []
                : [
                    { required: true, message: t("validation.required") },
                    { type: "email", message: t("validation.email") },
                  ]
            }
          >
            <Input data-testid="user-form-email" disabled={readOnly} autoComplete="off" />
          </Form.Item>
        ))}
        {field("phone", (readOnly) => (
          <Form.Item name="phone" label={t("field.user.phone")}>
            <Input data-testid="user-form-phone" disabled={readOnly} />
          </Form.Item>
        ))}
        {field("department", (readOnly) => (
          <Form.Item name="departmentId" label={t("field.user.department")}>
            <DepartmentTreeSelect testId="user-form-department" disabled={readOnly} />
          </Form.Item>
        ))}
        {field("manager", (readOnly) => (
          <Form.Item name="managerId" label={t("field.user.manager")}>
            <UserSelect
              testId="user-form-manager"
              disabled={readOnly}
              excludeId={user?.id}
              initialLabel={user?.managerName}
            />
          </Form.Item>
        ))}
        {field("roles", (readOnly) => (
          <Form.Item name="roleIds" label={t("field.user.roles")}>
            <RoleMultiSelect
              testId="user-form-roles"
              disabled={readOnly}
              knownLabels={Object.fromEntries(
                (user?.roleIds ?? []).map((id, index) => [id, user?.roleNames[index] ?? id]),
              )}
            />
          </Form.Item>
        ))}
        {user ? null : (
          <Form.Item
            name="password"
            label={t("users.initialPassword")}
            extra={t("validation.passwordPolicy", { min: MIN_PASSWORD_LENGTH })}
            rules={newPasswordRules(t, "email")}
          >
            <Input.Password data-testid="user-form-password" autoComplete="new-password" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
