import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Card, Flex, Form, Input, InputNumber, Modal, Radio, Select, Space, Switch } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { applyServerFieldErrors } from "../../components/form-errors";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { UserPicker } from "../customers/UserPicker";
import { useRoles } from "../roles/roles-api";
import { toApiMoney } from "./approval-format";
import { type ApprovalFlow, type ApproverSpec, type FlowInput, useSaveFlow } from "./approvals-api";

interface ApproverValues {
  kind: ApproverSpec["kind"];
  userId?: string | null;
  roleId?: string;
  levels?: number;
}

interface FormValues {
  subjectType: string;
  name: string;
  description?: string;
  priority: number;
  minAmount?: string;
  maxAmount?: string;
  active: boolean;
  steps: { name: string; mode: "all" | "any"; missingManager: "skip" | "admin"; approvers: ApproverValues[] }[];
}

function toValues(flow: ApprovalFlow | null, subjectType: string): FormValues {
  if (!flow) {
    return {
      subjectType,
      name: "",
      priority: 0,
      active: true,
      steps: [{ name: "", mode: "any", missingManager: "admin", approvers: [{ kind: "manager", levels: 1 }] }],
    };
  }
  return {
    subjectType: flow.subjectType,
    name: flow.name,
    description: flow.description ?? undefined,
    priority: flow.priority,
    minAmount: flow.minAmount ?? "",
    maxAmount: flow.maxAmount ?? "",
    active: flow.active,
    steps: flow.steps.map((s) => ({ ...s, approvers: s.approvers.map((a) => ({ ...a })) })),
  };
}

function toSpec(a: ApproverValues): ApproverSpec {
  if (a.kind === "user") {
    return { kind: "user", userId: a.userId ?? "" };
  }
  if (a.kind === "role") {
    return { kind: "role", roleId: a.roleId ?? "" };
  }
  return { kind: "manager", levels: a.levels ?? 1 };
}

/** Create or edit an approval flow: amount conditions, priority and ordered steps with their approvers. */
export function FlowFormModal({ open, flow, subjectTypes, defaultSubjectType, onClose }: { open: boolean; flow: ApprovalFlow | null; subjectTypes: string[]; defaultSubjectType: string; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<FormValues>();
  const save = useSaveFlow();
  const roles = useRoles(open);

  useEffect(() => {
    if (open) {
      form.setFieldsValue(toValues(flow, defaultSubjectType));
    }
  }, [open, flow, defaultSubjectType, form]);

  const submit = async () => {
    const values = await form.validateFields();
    const body: FlowInput = {
      ...(flow ? {} : { subjectType: values.subjectType }),
      name: values.name,
      description: values.description ?? null,
      priority: values.priority,
      minAmount: toApiMoney(values.minAmount),
      maxAmount: toApiMoney(values.maxAmount),
      active: values.active,
      steps: values.steps.map((s) => ({ name: s.name, mode: s.mode, missingManager: s.missingManager, approvers: s.approvers.map(toSpec) })),
    };
    try {
      await save.mutateAsync({ id: flow?.id ?? null, version: flow?.version, body });
      notify.success(t("approvals.flows.saved"));
      onClose();
    } catch (error) {
      if (!applyServerFieldErrors(form, error, ["name", "minAmount", "maxAmount", "subjectType"])) {
        notify.error(error);
      }
    }
  };

  const amountRule = { pattern: /^\d{1,13}(\.\d{1,2})?$/, message: t("approvals.flows.amountInvalid") };
  return (
    <Modal
      open={open}
      width={760}
      title={flow ? t("approvals.flows.edit") : t("approvals.flows.create")}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={save.isPending}
      okButtonProps={testId("flow-save")}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" data-testid="flow-form">
        <Flex gap={12}>
          <Form.Item name="subjectType" label={t("approvals.flows.subjectType")} style={{ width: 160 }} rules={[{ required: true }]}>
            <Select disabled={flow !== null} options={subjectTypes.map((s) => ({ value: s, label: t(`approvals.subject.${s}`, { defaultValue: s }) }))} data-testid="flow-subject-type" />
          </Form.Item>
          <Form.Item name="name" label={t("approvals.flows.name")} style={{ flex: 1 }} rules={[{ required: true, whitespace: true, max: 100 }]}>
            <Input data-testid="flow-name" />
          </Form.Item>
          <Form.Item name="priority" label={t("approvals.flows.priority")} tooltip={t("approvals.flows.priorityHint")} style={{ width: 110 }}>
            <InputNumber precision={0} style={{ width: "100%" }} data-testid="flow-priority" />
          </Form.Item>
          <Form.Item name="active" label={t("approvals.flows.active")} valuePropName="checked">
            <Switch data-testid="flow-active" />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          <Form.Item name="minAmount" label={t("approvals.flows.minAmount")} rules={[amountRule]} style={{ flex: 1 }}>
            <Input placeholder={t("approvals.flows.noBound")} data-testid="flow-min-amount" />
          </Form.Item>
          <Form.Item name="maxAmount" label={t("approvals.flows.maxAmount")} rules={[amountRule]} tooltip={t("approvals.flows.rangeHint")} style={{ flex: 1 }}>
            <Input placeholder={t("approvals.flows.noBound")} data-testid="flow-max-amount" />
          </Form.Item>
        </Flex>
        <Form.Item name="description" label={t("approvals.flows.description")}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <Form.List name="steps">
          {(steps, { add, remove }) => (
            <Flex vertical gap={12}>
              {steps.map((step, index) => (
                <Card
                  key={step.key}
                  size="small"
                  title={t("approvals.flows.stepN", { n: index + 1 })}
                  extra={steps.length > 1 ? <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(step.name)} data-testid={`flow-step-remove-${index}`} /> : null}
                  data-testid={`flow-step-${index}`}
                >
                  <Flex gap={12} wrap>
                    <Form.Item name={[step.name, "name"]} label={t("approvals.flows.stepName")} rules={[{ required: true, whitespace: true, max: 100 }]} style={{ flex: 1, minWidth: 160 }}>
                      <Input data-testid={`flow-step-name-${index}`} />
                    </Form.Item>
                    <Form.Item name={[step.name, "mode"]} label={t("approvals.flows.mode")}>
                      <Radio.Group
                        options={[
                          { value: "any", label: <span data-testid={`flow-step-mode-any-${index}`}>{t("approvals.mode.any")}</span> },
                          { value: "all", label: <span data-testid={`flow-step-mode-all-${index}`}>{t("approvals.mode.all")}</span> },
                        ]}
                      />
                    </Form.Item>
                    <Form.Item name={[step.name, "missingManager"]} label={t("approvals.flows.missingManager")} style={{ width: 180 }}>
                      <Select
                        options={[
                          { value: "admin", label: t("approvals.flows.missing.admin") },
                          { value: "skip", label: t("approvals.flows.missing.skip") },
                        ]}
                      />
                    </Form.Item>
                  </Flex>
                  <Form.List name={[step.name, "approvers"]}>
                    {(approvers, { add: addApprover, remove: removeApprover }) => (
                      <Flex vertical gap={4}>
                        {approvers.map((approver, j) => (
                          <Space key={approver.key} align="start">
                            <Form.Item name={[approver.name, "kind"]} style={{ marginBottom: 0, width: 150 }}>
                              <Select
                                data-testid={`flow-approver-kind-${index}-${j}`}
                                options={(["manager", "user", "role"] as const).map((k) => ({ value: k, label: t(`approvals.approverKind.${k}`) }))}
                              />
                            </Form.Item>
                            <Form.Item noStyle shouldUpdate>
                              {() => {
                                const kind = form.getFieldValue(["steps", step.name, "approvers", approver.name, "kind"]) as ApproverSpec["kind"];
                                if (kind === "user") {
                                  return (
                                    <Form.Item name={[approver.name, "userId"]} rules={[{ required: true }]} style={{ marginBottom: 0 }}>
                                      <UserPicker style={{ width: 240 }} testId={`flow-approver-user-${index}-${j}`} />
                                    </Form.Item>
                                  );
                                }
                                if (kind === "role") {
                                  return (
                                    <Form.Item name={[approver.name, "roleId"]} rules={[{ required: true }]} style={{ marginBottom: 0 }}>
                                      <Select style={{ width: 240 }} options={(roles.data ?? []).map((r) => ({ value: r.id, label: r.name }))} data-testid={`flow-approver-role-${index}-${j}`} />
                                    </Form.Item>
                                  );
                                }
                                return (
                                  <Form.Item name={[approver.name, "levels"]} rules={[{ required: true }]} style={{ marginBottom: 0 }} initialValue={1}>
                                    <InputNumber min={1} max={10} precision={0} addonAfter={t("approvals.flows.levelsUp")} data-testid={`flow-approver-levels-${index}-${j}`} />
                                  </Form.Item>
                                );
                              }}
                            </Form.Item>
                            {approvers.length > 1 ? <Button type="text" icon={<DeleteOutlined />} onClick={() => removeApprover(approver.name)} /> : null}
                          </Space>
                        ))}
                        <Button type="dashed" icon={<PlusOutlined />} onClick={() => addApprover({ kind: "user" })} data-testid={`flow-approver-add-${index}`} style={{ width: 200 }}>
                          {t("approvals.flows.addApprover")}
                        </Button>
                      </Flex>
                    )}
                  </Form.List>
                </Card>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ name: "", mode: "any", missingManager: "admin", approvers: [{ kind: "manager", levels: 1 }] })} data-testid="flow-step-add">
                {t("approvals.flows.addStep")}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
