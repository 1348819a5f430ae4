import { MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Checkbox, Divider, Flex, Form, Input, InputNumber, Modal, Select, Switch, Typography } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { applyServerFieldErrors } from "../../components/form-errors";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { UserPicker } from "../customers/UserPicker";
import { useDepartments } from "../departments/departments-api";
import { usePicklist } from "../picklists/picklists-api";
import { useSavePool } from "./pools-api";
import { RecyclePreviewButton } from "./RecyclePreviewButton";
import type { Pool, PoolInput, PoolRule } from "./pools-types";

interface FormValues {
  name: string;
  description?: string | null;
  allUsers: boolean;
  memberUsers?: string[];
  memberDepartments?: string[];
  admins?: string[];
  claimDailyLimit: number | null;
  cooldownDays: number | null;
  recycleEnabled: boolean;
  exemptDealt: boolean;
  exemptLocked: boolean;
  warnDays: number;
  rules: (Omit<PoolRule, "level"> & { level: string })[];
}

/** "" stands for "every level without its own rule" in the level select (the API's null). */
const ALL_LEVELS = "";

function toValues(pool: Pool | null): FormValues {
  return {
    name: pool?.name ?? "",
    description: pool?.description ?? null,
    allUsers: pool?.allUsers ?? false,
    memberUsers: pool?.members.filter((m) => m.type === "user").map((m) => m.id) ?? [],
    memberDepartments: pool?.members.filter((m) => m.type === "department").map((m) => m.id) ?? [],
    admins: pool?.admins.map((a) => a.id) ?? [],
    claimDailyLimit: pool?.claimDailyLimit ?? null,
    cooldownDays: pool?.cooldownDays ?? null,
    recycleEnabled: pool?.recycleEnabled ?? false,
    exemptDealt: pool?.exemptDealt ?? true,
    exemptLocked: pool?.exemptLocked ?? true,
    warnDays: pool?.warnDays ?? 3,
    rules: (pool?.rules ?? []).map((r) => ({ ...r, level: r.level ?? ALL_LEVELS })),
  };
}

function toInput(values: FormValues): PoolInput {
  return {
    name: values.name.trim(),
    description: values.description?.trim() || null,
    allUsers: values.allUsers,
    // validateFields leaves out fields that are not mounted (members are hidden while "everyone" is on).
    members: values.allUsers
      ? []
      : [
          ...(values.memberUsers ?? []).map((id) => ({ type: "user" as const, id })),
          ...(values.memberDepartments ?? []).map((id) => ({ type: "department" as const, id })),
        ],
    admins: values.admins ?? [],
    claimDailyLimit: values.claimDailyLimit ?? null,
    cooldownDays: values.cooldownDays ?? null,
    recycleEnabled: values.recycleEnabled,
    exemptDealt: values.exemptDealt,
    exemptLocked: values.exemptLocked,
    warnDays: values.warnDays ?? 0,
    rules: (values.rules ?? []).map((r) => ({
      level: r.level === ALL_LEVELS ? null : r.level,
      noFollowupDays: r.noFollowupDays ?? null,
      noDealDays: r.noDealDays ?? null,
      notDealtDays: r.notDealtDays ?? null,
    })),
  };
}

/** Create or edit a pool: who is in it, who runs it, claim quota, cool-down and recycling rules per level. */
export function PoolFormModal({ pool, onClose }: { pool: Pool | null; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<FormValues>();
  const save = useSavePool();
  const departments = useDepartments();
  const levels = usePicklist("customer.level");
  const allUsers = Form.useWatch("allUsers", form);
  const levelOptions = useMemo(
    () => [{ value: ALL_LEVELS, label: t("pools.rules.allLevels") }, ...levels.map((o) => ({ value: o.value, label: o.label }))],
    [levels, t],
  );
  const knownNames = useMemo(
    () => Object.fromEntries([...(pool?.members ?? []), ...(pool?.admins ?? [])].filter((m) => m.name).map((m) => [m.id, m.name ?? ""])),
    [pool],
  );

  const submit = async () => {
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    try {
      await save.mutateAsync({ pool, input: toInput(values) });
      notify.success(t("pools.settings.saved"));
      onClose();
    } catch (error) {
      if (!applyServerFieldErrors(form, error, ["name", "description", "claimDailyLimit", "cooldownDays", "warnDays", "rules", "admins"], { members: "memberUsers" })) {
        notify.error(error);
      }
    }
  };

  return (
    <Modal
      open
      width={760}
      title={pool ? t("pools.settings.editTitle", { name: pool.name }) : t("pools.settings.createTitle")}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={save.isPending}
      okButtonProps={testId("pool-settings-save")}
      destroyOnHidden
    >
      <Form<FormValues> form={form} layout="vertical" initialValues={toValues(pool)}>
        <Form.Item name="name" label={t("pools.settings.name")} rules={[{ required: true, whitespace: true, message: t("validation.required") }]}>
          <Input maxLength={100} data-testid="pool-settings-name" />
        </Form.Item>
        <Form.Item name="description" label={t("pools.settings.description")}>
          <Input.TextArea rows={2} maxLength={500} data-testid="pool-settings-description" />
        </Form.Item>
        <Divider plain>
          {t("pools.settings.people")}
        </Divider>
        <Form.Item name="allUsers" valuePropName="checked">
          <Checkbox data-testid="pool-settings-all-users">{t("pools.settings.allUsers")}</Checkbox>
        </Form.Item>
        {allUsers ? null : (
          <Flex gap={12}>
            <Form.Item name="memberUsers" label={t("pools.settings.memberUsers")} style={{ flex: 1 }}>
              <UserPicker multiple knownLabels={knownNames} testId="pool-settings-member-users" />
            </Form.Item>
            <Form.Item name="memberDepartments" label={t("pools.settings.memberDepartments")} style={{ flex: 1 }}>
              <Select<string[]>
                mode="multiple"
                optionFilterProp="label"
                loading={departments.isLoading}
                options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
                data-testid="pool-settings-member-departments"
              />
            </Form.Item>
          </Flex>
        )}
        <Form.Item name="admins" label={t("pools.settings.admins")} extra={t("pools.settings.adminsHint")}>
          <UserPicker multiple knownLabels={knownNames} testId="pool-settings-admins" />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="claimDailyLimit" label={t("pools.settings.claimDailyLimit")} extra={t("pools.settings.emptyUnlimited")} style={{ flex: 1 }}>
            <InputNumber min={0} max={10000} precision={0} style={{ width: "100%" }} data-testid="pool-settings-quota" />
          </Form.Item>
          <Form.Item name="cooldownDays" label={t("pools.settings.cooldownDays")} extra={t("pools.settings.cooldownHint")} style={{ flex: 1 }}>
            <InputNumber min={0} max={3650} precision={0} style={{ width: "100%" }} data-testid="pool-settings-cooldown" />
          </Form.Item>
        </Flex>
        <Divider plain>
          {t("pools.settings.recycling")}
        </Divider>
        <Flex gap={24} wrap align="center">
          <Form.Item name="recycleEnabled" valuePropName="checked" label={t("pools.settings.recycleEnabled")}>
            <Switch data-testid="pool-settings-recycle" />
          </Form.Item>
          <Form.Item name="exemptDealt" valuePropName="checked">
            <Checkbox data-testid="pool-settings-exempt-dealt">{t("pools.settings.exemptDealt")}</Checkbox>
          </Form.Item>
          <Form.Item name="exemptLocked" valuePropName="checked">
            <Checkbox data-testid="pool-settings-exempt-locked">{t("pools.settings.exemptLocked")}</Checkbox>
          </Form.Item>
          <Form.Item name="warnDays" label={t("pools.settings.warnDays")}>
            <InputNumber min={0} max={365} precision={0} data-testid="pool-settings-warn-days" />
          </Form.Item>
        </Flex>
        <Typography.Text type="secondary">{t("pools.rules.hint")}</Typography.Text>
        <Form.List name="rules">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8} style={{ marginTop: 8 }}>
              {fields.map((field, index) => (
                <Flex key={field.key} gap={8} align="start" data-testid="pool-settings-rule">
                  <Form.Item name={[field.name, "level"]} label={index === 0 ? t("pools.columns.level") : undefined} style={{ width: 160, marginBottom: 0 }}>
                    <Select options={levelOptions} data-testid="pool-settings-rule-level" />
                  </Form.Item>
                  <Form.Item name={[field.name, "noFollowupDays"]} label={index === 0 ? t("pools.rules.noFollowupDays") : undefined} style={{ flex: 1, marginBottom: 0 }}>
                    <InputNumber min={1} max={3650} precision={0} style={{ width: "100%" }} data-testid="pool-settings-rule-no-followup" />
                  </Form.Item>
                  <Form.Item name={[field.name, "noDealDays"]} label={index === 0 ? t("pools.rules.noDealDays") : undefined} style={{ flex: 1, marginBottom: 0 }}>
                    <InputNumber min={1} max={3650} precision={0} style={{ width: "100%" }} data-testid="pool-settings-rule-no-deal" />
                  </Form.Item>
                  <Form.Item name={[field.name, "notDealtDays"]} label={index === 0 ? t("pools.rules.notDealtDays") : undefined} style={{ flex: 1, marginBottom: 0 }}>
                    <InputNumber min={1} max={3650} precision={0} style={{ width: "100%" }} data-testid="pool-settings-rule-not-dealt" />
                  </Form.Item>
                  <Button
                    type="text"
                    icon={<MinusCircleOutlined />}
                    onClick={() => remove(field.name)}
                    aria-label={t("common.delete")}
                    style={{ marginTop: index === 0 ? 30 : 0 }}
                    data-testid="pool-settings-rule-remove"
                  />
                </Flex>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ level: ALL_LEVELS, noFollowupDays: null, noDealDays: null, notDealtDays: null })}
                data-testid="pool-settings-rule-add"
              >
                {t("pools.rules.add")}
              </Button>
            </Flex>
          )}
        </Form.List>
        {pool ? (
          <RecyclePreviewButton
            poolId={pool.id}
            read={() => {
              const { exemptDealt, exemptLocked, rules } = toInput(form.getFieldsValue(true) as FormValues);
              return { exemptDealt, exemptLocked, rules };
            }}
          />
        ) : null}
      </Form>
    </Modal>
  );
}
