/**
 * A customer import's 联系人 columns: import field → the contact field it fills. The server makes
 * the customer's contacts from them (server/modules/imports/imports.customer-contacts.ts); the
 * wizard checks the contact's field rules on them (web/features/imports/import-fields.ts).
 *
 * A row may carry up to `contactSlots` people: 联系人 / 联系人手机 … for the first (the customer's
 * primary contact), 联系人2 / 联系人2手机 … for the second, and so on.
 */
export const contactTargets = ['name', 'phone', 'email', 'title', 'wechat'] as const;
export type ContactTarget = (typeof contactTargets)[number];

export const contactSlots = 3;

const suffixOf: Readonly<Record<ContactTarget, string>> = { name: 'Name', phone: 'Phone', email: 'Email', title: 'Title', wechat: 'Wechat' };

/** The import field of a slot's contact field: contactName for the first person, contact2Name for the second … */
export function contactColumn(slot: number, target: ContactTarget): string {
  return `contact${slot === 1 ? '' : String(slot)}${suffixOf[target]}`;
}

/** Every contact column, slot by slot, with the contact field it fills. */
export const customerContactColumns: Readonly<Record<string, ContactTarget>> = Object.fromEntries(
  Array.from({ length: contactSlots }, (_, i) => contactTargets.map((target) => [contactColumn(i + 1, target), target] as const)).flat(),
);

/** The first person's columns: the only ones the import template lists (the others are for files that have them). */
export const firstContactColumns: readonly string[] = contactTargets.map((target) => contactColumn(1, target));
