import { Checkbox, Form, Input, Modal } from "antd";
import { useTranslation } from "react-i18next";
import { applyServerFieldErrors } from "../../components/form-errors";
import { testId } from "../../components/test-id";
import { useNotify } from "../../components/use-notify";

interface SaveViewValues {
  name: string;
  shared: boolean;
}

interface SaveViewModalProps {
  title: string;
  initial: SaveViewValues;
  canShare: boolean;
  saving: boolean;
  onSubmit: (values: SaveViewValues) => Promise<void>;
  onClose: () => void;
}

/** Name (and sharing) of a saved view, for "save as" and "rename". */
export function SaveViewModal({ title, initial, canShare, saving, onSubmit, onClose }: SaveViewModalProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<SaveViewValues>();

  const submit = async () => {
    let values: SaveViewValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    try {
      await onSubmit({ name: values.name.trim(), shared: canShare ? values.shared : initial.shared });
      onClose();
    } catch (error) {
      if (!applyServerFieldErrors(form, error, ["name", "shared"])) {
        notify.error(error);
      }
    }
  };

  return (
    <Modal
      open
      title={title}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={saving}
      okButtonProps={testId("saved-view-form-submit")}
      destroyOnHidden
    >
      <Form<SaveViewValues> form={form} layout="vertical" initialValues={initial} data-testid="saved-view-form">
        <Form.Item
          name="name"
          label={t("savedViews.name")}
          rules={[
            { required: true, whitespace: true, message: t("validation.required") },
            { max: 80, message: t("savedViews.nameTooLong") },
          ]}
        >
          <Input data-testid="saved-view-form-name" autoFocus maxLength={80} />
        </Form.Item>
        <Form.Item name="shared" valuePropName="checked" extra={canShare ? t("savedViews.sharedHint") : t("savedViews.shareNotAllowed")}>
          <Checkbox disabled={!canShare} data-testid="saved-view-form-shared">
            {t("savedViews.shared")}
          </Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
