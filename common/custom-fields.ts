/** Custom field types (domain.md) and the rules their values follow. Shared by server and web. */
export const customFieldTypes = [
  'text',
  'longText',
  'number',
  'money',
  'date',
  'datetime',
  'singleSelect',
  'multiSelect',
  'user',
  'boolean',
  'phone',
  'email',
  'url',
] as const;
export type CustomFieldType = (typeof customFieldTypes)[number];

export const customFieldKeyPattern = /^[a-z][a-z0-9_]{0,39}$/;

export interface CustomFieldOption {
  value: string;
  label: string;
  color?: string | undefined;
}

export interface CustomFieldDefinition {
  key: string;
  label: string;
  type: CustomFieldType;
  required: boolean;
  unique: boolean;
  options: CustomFieldOption[];
}

/** Operators a filter may use per type (api.md: field[op]=value). */
export function operatorsFor(type: CustomFieldType): readonly string[] {
  switch (type) {
    case 'number':
    case 'money':
    case 'date':
    case 'datetime':
      return ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'empty'];
    case 'singleSelect':
    case 'user':
      return ['eq', 'ne', 'in', 'empty'];
    case 'multiSelect':
      return ['contains', 'empty'];
    case 'boolean':
      return ['eq', 'empty'];
    default:
      return ['eq', 'ne', 'contains', 'in', 'empty'];
  }
}
