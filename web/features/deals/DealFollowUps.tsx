import { Button, Empty, Flex, Input, Select, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../components/format";
import { useNotify } from "../../components/use-notify";
import { usePicklist } from "../picklists/picklists-api";
import { useAddDealFollowUp, useDealFollowUps } from "./deals-api";

/** 跟进记录 of a deal: a short composer and the list, newest first. */
export function DealFollowUps({ dealId, canAdd }: { dealId: string; canAdd: boolean }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const list = useDealFollowUps(dealId);
  const add = useAddDealFollowUp();
  const types = usePicklist("followUp.type").filter((o) => o.active);
  const [type, setType] = useState<string | undefined>(undefined);
  const [content, setContent] = useState("");
  const chosenType = type ?? types[0]?.value;
  const typeLabel = (value: string) => types.find((o) => o.value === value)?.label ?? value;
  const submit = () => {
    if (!chosenType || !content.trim()) {
      return;
    }
    add.mutate(
      { id: dealId, type: chosenType, content: content.trim() },
      {
        onSuccess: () => {
          setContent("");
          notify.success(t("deals.followUps.added"));
        },
        onError: (e) => notify.error(e),
      },
    );
  };
  return (
    <Flex vertical gap={8} data-testid="deal-follow-ups">
      <Typography.Text strong>{t("deals.followUps.title")}</Typography.Text>
      {canAdd ? (
        <Flex gap={8} align="start">
          <Select value={chosenType} onChange={setType} options={types.map((o) => ({ value: o.value, label: o.label }))} style={{ width: 120 }} data-testid="deal-follow-up-type" />
          <Input.TextArea value={content} onChange={(e) => setContent(e.target.value)} rows={2} maxLength={5000} placeholder={t("deals.followUps.placeholder")} data-testid="deal-follow-up-content" />
          <Button type="primary" loading={add.isPending} disabled={!content.trim()} onClick={submit} data-testid="deal-follow-up-submit">
            {t("deals.followUps.add")}
          </Button>
        </Flex>
      ) : null}
      {list.data?.data.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("deals.followUps.empty")} /> : null}
      {list.data?.data.map((f) => (
        <Flex key={f.id} vertical data-testid="deal-follow-up-item">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {typeLabel(f.type)} · {f.ownerName ?? ""} · {formatDateTime(f.createdAt)}
          </Typography.Text>
          <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: "pre-wrap" }}>{f.content}</Typography.Paragraph>
        </Flex>
      ))}
    </Flex>
  );
}
