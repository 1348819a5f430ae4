import { Alert, List, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useDebouncedValue } from "../../components/use-debounced-value";
import { useDuplicateCheck } from "./customers-api";

interface DuplicateMatchesProps {
  name: string | undefined;
  phone: string | undefined;
  email: string | undefined;
  excludeId?: string;
}

/** Possible duplicates of what is being typed (name, phone, email), found by the server. */
export function DuplicateMatches({ name, phone, email, excludeId }: DuplicateMatchesProps) {
  const { t } = useTranslation();
  // Debounce a string: an object would be a new value on every render and never settle.
  const typed = JSON.stringify({
    name: (name ?? "").trim(),
    phone: (phone ?? "").replace(/\D/g, "").length >= 5 ? (phone ?? "").trim() : "",
    email: (email ?? "").includes("@") ? (email ?? "").trim() : "",
  });
  const query = JSON.parse(useDebouncedValue(typed, 400)) as { name: string; phone: string; email: string };
  const payload = {
    ...(query.name.length >= 2 ? { name: query.name } : {}),
    ...(query.phone ? { phone: query.phone } : {}),
    ...(query.email ? { email: query.email } : {}),
    ...(excludeId ? { excludeId } : {}),
  };
  const enabled = Boolean(payload.name ?? payload.phone ?? payload.email);
  const check = useDuplicateCheck(payload, enabled);
  const matches = enabled ? (check.data ?? []) : [];
  if (matches.length === 0) {
    return null;
  }
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="customer-duplicates"
      title={t("customers.duplicates.title", { count: matches.length })}
      description={
        <List
          size="small"
          dataSource={matches.slice(0, 5)}
          renderItem={(match) => (
            <List.Item data-testid="customer-duplicate">
              <Space wrap size={4}>
                {match.visible ? (
                  <Link to={`/customers/${match.id}`} target="_blank">
                    {match.name}
                  </Link>
                ) : (
                  <Typography.Text>{t("customers.duplicates.hidden")}</Typography.Text>
                )}
                {match.reasons.map((reason) => (
                  <Tag key={reason} color="orange">
                    {t(`customers.duplicates.reason.${reason}`)}
                  </Tag>
                ))}
                <Typography.Text type="secondary">
                  {t("customers.duplicates.owner", { name: match.ownerName ?? t("customers.pool") })}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      }
    />
  );
}
