import { Card, Descriptions } from "antd";
import type { DescriptionsProps } from "antd";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../components/format";
import type { Contact, Customer } from "./customer-360-types";
import { useCustomerFieldFormat } from "./field-format";
import { useCustomFields } from "../custom-fields/custom-fields-api";
import { webHref } from "./web-link";

const DETAIL_FIELDS = ["source", "industry", "website", "province", "city", "district", "address", "remark"] as const;

/** A web address opens in a new tab, away from the CRM's own session. */
function linked(href: string | null, text: string) {
  return href ? (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {text}
    </a>
  ) : (
    text
  );
}

/** The fields the header does not show, custom fields included; hidden fields are absent. */
export function CustomerDetailsCard({ customer, contacts }: { customer: Customer; contacts: Contact[] }) {
  const { t } = useTranslation();
  const format = useCustomerFieldFormat(contacts);
  const customFields = useCustomFields("customer");
  const record = customer as unknown as Record<string, unknown>;

  const items: DescriptionsProps["items"] = DETAIL_FIELDS.filter((key) => record[key] !== undefined).map((key) => ({
    key,
    label: format.label(key),
    children: <span data-testid={`customer-detail-${key}`}>{linked(webHref(key === "website" ? record[key] : null), format.value(key, record[key]))}</span>,
  }));
  for (const definition of customFields.data?.data ?? []) {
    if (definition.key in customer.custom) {
      items.push({
        key: `cf.${definition.key}`,
        label: definition.label,
        children: (
          <span data-testid={`customer-detail-cf-${definition.key}`}>
            {linked(
              webHref(definition.type === "url" ? customer.custom[definition.key] : null),
              format.value(`cf.${definition.key}`, customer.custom[definition.key]),
            )}
          </span>
        ),
      });
    }
  }
  items.push(
    { key: "createdAt", label: t("customer360.field.createdAt"), children: formatDateTime(customer.createdAt) },
    { key: "updatedAt", label: t("customer360.field.updatedAt"), children: formatDateTime(customer.updatedAt) },
  );

  return (
    <Card title={t("customer360.details")} data-testid="customer-details">
      <Descriptions size="small" column={1} items={items} />
    </Card>
  );
}
