import { Button, Flex, Mentions } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useDebouncedValue } from "../../components/use-debounced-value";
import { useNotify } from "../../components/use-notify";
import { useUserOptions } from "../users/users-api";
import { useAddComment } from "./customer-360-api";

/** A comment (评论) on the customer; `@name` mentions the picked users, who get notified. */
export function CommentBox({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [content, setContent] = useState("");
  const [search, setSearch] = useState("");
  const [searching, setSearching] = useState(false);
  const q = useDebouncedValue(search, 200);
  const users = useUserOptions(q, searching);
  /** Names inserted by picking from the list → user ids. */
  const picked = useRef(new Map<string, string>());
  const addComment = useAddComment(customerId);

  const submit = async () => {
    const text = content.trim();
    if (text === "") {
      return;
    }
    const mentions = [...picked.current.entries()]
      .filter(([name]) => text.includes(`@${name}`))
      .map(([, id]) => id);
    try {
      await addComment.mutateAsync({ content: text, mentions: [...new Set(mentions)] });
      setContent("");
      picked.current.clear();
      notify.success(t("customer360.comment.saved"));
    } catch (error) {
      notify.error(error);
    }
  };

  return (
    <Flex vertical gap={8} data-testid="comment-box">
      <Mentions
        value={content}
        onChange={(text) => {
          setContent(text);
          // Characters entered through an IME (Chinese) may not raise the key events that make
          // Mentions search again, so the text after the last "@" is followed here as well.
          const typing = /@([^\s@]*)$/.exec(text);
          if (typing) {
            setSearching(true);
            setSearch(typing[1] ?? "");
          }
        }}
        rows={3}
        placeholder={t("customer360.comment.placeholder")}
        loading={users.isFetching}
        filterOption={false}
        onSearch={(text) => {
          setSearching(true);
          setSearch(text);
        }}
        onSelect={(option) => {
          const user = (users.data?.data ?? []).find((item) => item.name === option.value);
          if (user) {
            picked.current.set(user.name, user.id);
          }
        }}
        options={(users.data?.data ?? []).map((user) => ({
          key: user.id,
          value: user.name,
          label: <span data-testid="comment-mention-option">{user.name}</span>,
        }))}
        data-testid="comment-input"
        maxLength={5000}
      />
      <Flex justify="end">
        <Button
          type="primary"
          onClick={() => void submit()}
          loading={addComment.isPending}
          disabled={content.trim() === ""}
          data-testid="comment-submit"
        >
          {t("customer360.comment.submit")}
        </Button>
      </Flex>
    </Flex>
  );
}
