import { Form, Input, Modal } from "antd";
import { useTranslation } from "react-i18next";
import { applyServerFieldErrors } from "../../components/form-errors";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";
import { ColorSelect } from "../picklists/ColorSelect";
import { type Tag, useCreateTag, useUpdateTag } from "./tags-api";

interface TagValues {
  name: string;
  color: string;
}

/** New tag, or rename / recolour one. */
export function TagFormModal({ tag, onClose }: { tag: Tag | null; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<TagValues>();
  const createTag = useCreateTag();
  const updateTag = useUpdateTag();

  const submit = async () => {
    let values: TagValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    try {
      if (tag) {
        const changes = {
          ...(values.name.trim() !== tag.name ? { name: values.name.trim() } : {}),
          ...(values.color !== tag.color ? { color: values.color } : {}),
        };
        if (Object.keys(changes).length > 0) {
          await updateTag.mutateAsync({ tag, changes });
        }
      } else {
        await createTag.mutateAsync({ name: values.name.trim(), color: values.color });
      }
      notify.success(t("common.saved"));
      onClose();
    } catch (error) {
      if (!applyServerFieldErrors(form, error, ["name", "color"])) {
        notify.error(error);
      }
    }
  };

  return (
    <Modal
      open
      title={tag ? t("tags.editTitle") : t("tags.createTitle")}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={createTag.isPending || updateTag.isPending}
      okButtonProps={testId("tag-form-submit")}
      destroyOnHidden
    >
      <Form<TagValues> form={form} layout="vertical" initialValues={{ name: tag?.name ?? "", color: tag?.color ?? "blue" }} data-testid="tag-form">
        <Form.Item name="name" label={t("tags.name")} rules={[{ required: true, whitespace: true, message: t("validation.required") }, { max: 50 }]}>
          <Input maxLength={50} autoFocus data-testid="tag-form-name" />
        </Form.Item>
        <Form.Item name="color" label={t("tags.color")} rules={[{ required: true, message: t("validation.required") }]}>
          <ColorSelect allowClear={false} width={200} testId="tag-form-color" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
