import { PaperClipOutlined } from "@ant-design/icons";
import { Button, Space, Typography, Upload } from "antd";
import type { UploadFile, UploadProps } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNotify } from "../../components/use-notify";
import type { UploadedFile } from "../customer-360/customer-360-types";
import { uploadFile } from "./follow-ups-api";

const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** The download address of a file as `/files/:id` serves it (its uploader, or who sees its customer's follow-up). */
export const fileHref = (file: { id: string }) => `/api/v1/files/${file.id}`;

/** Links to a follow-up's attachments; `href` says where the caller may download them. */
export function AttachmentLinks({ files, href = fileHref, testId }: { files: readonly UploadedFile[]; href?: (file: UploadedFile) => string; testId: string }) {
  if (files.length === 0) {
    return null;
  }
  return (
    <Space size={8} wrap>
      {files.map((file) => (
        <Typography.Link key={file.id} href={href(file)} target="_blank" rel="noreferrer" data-testid={testId}>
          <PaperClipOutlined /> {file.name}
        </Typography.Link>
      ))}
    </Space>
  );
}

/** Files being attached to a follow-up that is being written: uploaded as they are picked. */
export function useAttachmentPicker() {
  const [files, setFiles] = useState<UploadFile<UploadedFile>[]>([]);
  return {
    files,
    setFiles,
    uploading: files.some((file) => file.status === "uploading"),
    /** The ids to send as attachmentIds (only the uploads that finished). */
    ids: () => files.filter((file) => file.status === "done" && file.response).map((file) => (file.response as UploadedFile).id),
    reset: () => setFiles([]),
  };
}

/** The 附件 button and the list of picked files, each uploaded through POST /files (at most 20 MB). */
export function AttachmentPicker({ picker, testId }: { picker: ReturnType<typeof useAttachmentPicker>; testId: string }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const customRequest: UploadProps<UploadedFile>["customRequest"] = (options) => {
    const file = options.file;
    if (!(file instanceof File)) {
      return;
    }
    uploadFile(file).then(
      (uploaded) => options.onSuccess?.(uploaded),
      (error: unknown) => {
        notify.error(error);
        options.onError?.(error instanceof Error ? error : new Error(String(error)));
      },
    );
  };
  const beforeUpload = (file: File) => {
    if (file.size > MAX_FILE_BYTES) {
      notify.failure(t("followUps.fileTooLarge", { name: file.name }));
      return Upload.LIST_IGNORE;
    }
    return true;
  };
  return (
    <div data-testid={`${testId}-attachments`}>
      <Upload<UploadedFile> multiple fileList={picker.files} onChange={({ fileList }) => picker.setFiles(fileList)} customRequest={customRequest} beforeUpload={beforeUpload}>
        <Button icon={<PaperClipOutlined />} data-testid={`${testId}-attach`}>
          {t("followUps.attach")}
        </Button>
      </Upload>
    </div>
  );
}
