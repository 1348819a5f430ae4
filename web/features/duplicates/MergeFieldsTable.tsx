import { Radio, Table, Tag, Typography } from "antd";
import type { TableColumnsType } from "antd";
import { useTranslation } from "react-i18next";
import type { Customer } from "../customer-360/customer-360-types";
import { useCustomerFieldFormat } from "../customer-360/field-format";
import type { MergeFieldValues } from "./duplicates-api";
import { addressText } from "./merge-values";

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

/** The default choice per field: the target's value, or the first record that has one. */
export function defaultChoices(fields: MergeFieldValues[], targetId: string): Record<string, string> {
  const choices: Record<string, string> = {};
  for (const field of fields) {
    const target = field.values.find((item) => item.customerId === targetId);
    const firstFilled = field.values.find((item) => !isEmpty(item.value));
    choices[field.field] = target && !isEmpty(target.value) ? targetId : (firstFilled?.customerId ?? targetId);
  }
  return choices;
}

/** Values side by side, one column per customer (target first); a radio picks the one to keep. */
export function MergeFieldsTable({
  customers,
  targetId,
  fields,
  choices,
  onChoose,
}: {
  customers: Customer[];
  targetId: string;
  fields: MergeFieldValues[];
  choices: Record<string, string>;
  onChoose: (field: string, customerId: string) => void;
}) {
  const { t } = useTranslation();
  const format = useCustomerFieldFormat();
  const ordered = [...customers].sort((a, b) => (a.id === targetId ? -1 : b.id === targetId ? 1 : 0));

  const columns: TableColumnsType<MergeFieldValues> = [
    {
      title: t("duplicates.merge.field"),
      dataIndex: "field",
      width: 140,
      fixed: "start",
      render: (field: string) => (
        <Typography.Text strong>{field === "address" ? t("customers.form.addressSection") : format.label(field)}</Typography.Text>
      ),
    },
    ...ordered.map((customer) => ({
      key: customer.id,
      title: (
        <span>
          {customer.name} {customer.id === targetId ? <Tag color="blue">{t("duplicates.merge.target")}</Tag> : null}
        </span>
      ),
      render: (_value: unknown, row: MergeFieldValues) => {
        const raw = row.values.find((item) => item.customerId === customer.id)?.value;
        // Owners come as user ids; the customer record carries the name.
        const value = row.field === "ownerId" && typeof raw === "string" ? (customer.ownerName ?? raw) : row.field === "address" ? addressText(raw) : raw;
        const sameAsAll = row.values.every((item) => JSON.stringify(item.value) === JSON.stringify(row.values[0]?.value));
        return (
          <Radio
            checked={choices[row.field] === customer.id}
            disabled={sameAsAll && customer.id !== targetId}
            onChange={() => onChoose(row.field, customer.id)}
            data-testid={`merge-choice-${row.field}-${customer.id}`}
          >
            <Typography.Text type={isEmpty(value) ? "secondary" : undefined}>{format.value(row.field, value)}</Typography.Text>
          </Radio>
        );
      },
    })),
  ];

  return (
    <Table<MergeFieldValues>
      rowKey="field"
      columns={columns}
      dataSource={fields}
      pagination={false}
      size="small"
      scroll={{ x: "max-content", y: 360 }}
      data-testid="merge-fields"
      onRow={(row) => ({ ...({ "data-testid": "merge-field-row", "data-field": row.field } as object) })}
    />
  );
}
