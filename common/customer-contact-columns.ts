/**
 * A customer import's 联系人 columns: import field → the contact field it fills. The server fills the
 * customer's primary contact from them (server/modules/imports/imports.customer-contacts.ts); the
 * wizard checks the contact's field rules on them (web/features/imports/import-fields.ts).
 */
export const customerContactColumns = {
  contactName: 'name',
  contactPhone: 'phone',
  contactEmail: 'email',
  contactTitle: 'title',
  contactWechat: 'wechat',
} as const;

export type CustomerContactColumn = keyof typeof customerContactColumns;
