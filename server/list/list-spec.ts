import type { Expression, SqlBool } from 'kysely';
import type { CustomFieldDefinition } from '../../common/custom-fields';
import type { FieldAccess } from '../modules/permissions/permissions.service';

/** How a built-in field of an entity may be filtered and sorted. */
/** `money`: an integer-cents column filtered with decimal values (`amount[gte]=1000.50`). */
export type ListFieldType = 'text' | 'number' | 'date' | 'datetime' | 'enum' | 'boolean' | 'id' | 'money';

export interface ListField {
  /** API name (camelCase), as used in `field=…`, `field[op]=…` and `sort=-field`. */
  name: string;
  /** Qualified column, e.g. `c.level`. */
  column: string;
  type: ListFieldType;
  nullable: boolean;
  sortable: boolean;
  /** The permission-catalog field guarding it: a hidden field can be neither filtered nor sorted on. */
  permissionField?: string;
  /**
   * The column's value counts only where this holds, and reads as empty elsewhere (a contact's
   * owner_id while its customer is in a pool: list-scope.ts ScopeSql.ownerCheck). Filters stay on
   * the column, so they keep its indexes. Not for sortable fields.
   */
  holds?: Expression<SqlBool>;
  /**
   * Sort by another column than `column`, read back from the row's `rowKey` property for the
   * cursor. Customers sort by name through name_key (the normalised name the duplicate checks
   * index anyway): one index on a random-ordered key instead of two, which an import pays per row.
   */
  sortBy?: { column: string; rowKey: string };
  /**
   * A stored key that is a function of the column (name_key = companyKey(name) on every write
   * path): `eq`/`in` filters add the implied term on the key so its index finds the rows.
   */
  keyedBy?: { column: string; key: (value: string) => string };
}

export interface ListSpec {
  entity: string;
  fields: readonly ListField[];
  /** The JSON column holding custom field values, e.g. `c.custom`. */
  customColumn: string;
  idColumn: string;
  defaultSort: string;
}

export type FilterOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'contains' | 'in' | 'empty';

export interface ParsedFilter {
  /** A built-in field, or a custom field definition. */
  target: { kind: 'field'; field: ListField } | { kind: 'custom'; field: CustomFieldDefinition };
  op: FilterOp;
  values: string[];
}

export interface ParsedSort {
  target: { kind: 'field'; field: ListField } | { kind: 'custom'; field: CustomFieldDefinition };
  direction: 'asc' | 'desc';
  /** API name as given, for the cursor. */
  name: string;
}

/**
 * How a search term may match a field under the caller's field rules: `substring` when they see it,
 * `exact` when it is masked (the whole phone number or email finds the record, a fragment does not
 * — fragments of a masked value would let anyone read it digit by digit), `none` when it is hidden.
 */
export type FieldMode = 'substring' | 'exact' | 'none';

export interface FieldModes {
  phone: FieldMode;
  email: FieldMode;
}

export function fieldModeOf(rule: FieldAccess): FieldMode {
  return rule.access === 'hidden' ? 'none' : rule.masked ? 'exact' : 'substring';
}

export interface ParsedList {
  filters: ParsedFilter[];
  sort: ParsedSort;
  limit: number;
  cursor: { value: string | number | null; id: string } | null;
  q: string | undefined;
  /** How `q` may match phone and email, from the caller's field rules (every list's q obeys them). */
  qModes: FieldModes;
  count: boolean;
}

const opsByType: Record<ListFieldType, readonly FilterOp[]> = {
  text: ['eq', 'ne', 'contains', 'in', 'empty'],
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'empty'],
  money: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'empty'],
  date: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'empty'],
  datetime: ['gt', 'gte', 'lt', 'lte', 'empty'],
  enum: ['eq', 'ne', 'in', 'empty'],
  boolean: ['eq'],
  id: ['eq', 'ne', 'in', 'empty'],
};

export function operatorsOf(type: ListFieldType): readonly FilterOp[] {
  return opsByType[type];
}
