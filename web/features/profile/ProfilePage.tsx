import { useQueryClient } from "@tanstack/react-query";
import { Button, Card, Descriptions, Flex, Form, Input } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../app/api";
import type { Me, User } from "../../app/api-types";
import { meQueryKey, useSession } from "../../app/session";
import { applyServerFieldErrors } from "../../components/form-errors";
import { useNotify } from "../../components/use-notify";
import { ChangePasswordCard } from "./ChangePasswordCard";

interface ProfileValues {
  name: string;
  phone: string;
}

export function ProfilePage() {
  const { t } = useTranslation();
  const me = useSession();
  const queryClient = useQueryClient();
  const notify = useNotify();
  const [form] = Form.useForm<ProfileValues>();
  const [saving, setSaving] = useState(false);
  // What the form's values were loaded from: the edit is based on that version (If-Match).
  const [loaded, setLoaded] = useState(me.user);

  const save = async (values: ProfileValues) => {
    const changes: { name?: string; phone?: string | null } = {};
    if (values.name.trim() !== me.user.name) {
      changes.name = values.name.trim();
    }
    const phone = values.phone.trim() === "" ? null : values.phone.trim();
    if (phone !== me.user.phone) {
      changes.phone = phone;
    }
    if (Object.keys(changes).length === 0) {
      notify.success(t("common.saved"));
      return;
    }
    // A change since then that left name and phone alone (this tab's language switch) is no
    // conflict; any other (an admin renamed the user) answers 412 instead of being overwritten.
    const unchanged = me.user.name === loaded.name && me.user.phone === loaded.phone;
    setSaving(true);
    try {
      const { user } = await api.patch<{ user: User }>("/auth/me", changes, { ifMatch: unchanged ? me.user.version : loaded.version });
      setLoaded(user);
      queryClient.setQueryData<Me | null>(meQueryKey, (old) => (old ? { ...old, user } : old));
      notify.success(t("common.saved"));
    } catch (error) {
      if (!applyServerFieldErrors(form, error, ["name", "phone"])) {
        notify.error(error);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Flex vertical gap={24} style={{ maxWidth: 640 }}>
      <Card title={t("profile.title")}>
        <Descriptions column={1} size="small" style={{ marginBottom: 16 }}>
          <Descriptions.Item label={t("field.user.email")}>{me.user.email}</Descriptions.Item>
          <Descriptions.Item label={t("field.user.department")}>{me.user.departmentName ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("field.user.roles")}>{me.user.roleNames.join(", ") || "—"}</Descriptions.Item>
        </Descriptions>
        <Form<ProfileValues>
          form={form}
          layout="vertical"
          initialValues={{ name: me.user.name, phone: me.user.phone ?? "" }}
          onFinish={(values) => void save(values)}
        >
          <Form.Item
            name="name"
            label={t("field.user.name")}
            rules={[{ required: true, whitespace: true, message: t("validation.required") }]}
          >
            <Input data-testid="profile-name" />
          </Form.Item>
          <Form.Item name="phone" label={t("field.user.phone")}>
            <Input data-testid="profile-phone" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="profile-save">
            {t("common.save")}
          </Button>
        </Form>
      </Card>
      <ChangePasswordCard />
    </Flex>
  );
}
