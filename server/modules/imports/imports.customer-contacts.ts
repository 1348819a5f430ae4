import type { Kysely } from 'kysely';
import { contactColumn, contactSlots, type ContactTarget, contactTargets, customerContactColumns } from '../../../common/customer-contact-columns';
import { emailKey, phoneKey } from '../../../common/normalize';
import type { DialectName } from '../../db/dialect';
import type { Database } from '../../db/types';
import { AppError } from '../../http/app-error';
import { setPrimaryContact, updateContactRow } from '../contacts/contacts.repo';
import { can, type Permissions } from '../permissions/permissions.service';
import { createContactBody } from '../contacts/contacts.schema';
import { indexNewContacts, reindexContacts } from '../search/search.index';
import { insertContacts, newContactRecord } from './imports.contact-rows';
import type { PendingCreate, PendingUpdate } from './imports.registry';
import type { Mapping } from './imports.mapping';
import { chunked, type DuplicateMode, optionKey, type RowError, zodRowErrors } from './imports.values';

/*
 * The customer import's 联系人 columns. Spreadsheets of customers kept in China usually carry the
 * person to talk to on the same row (客户名称, 联系人, 联系人手机 …); those columns give the customer
 * its primary contact, so nobody has to split the file into a customer file and a contact file.
 *
 * - A new customer gets one contact per distinct name among its rows, the first one primary.
 * - An existing customer ("update existing") gets its contact of the same name, phone or email
 *   updated, or a new contact — primary when it has none yet.
 * - New customers' contacts get their search entries with their customers' (the indexing stage,
 *   or its lane on PostgreSQL); contacts added to existing customers get theirs in the row batch.
 */

/** The contact's field rules guard these columns (`contact:<field>`, see importFieldGuard); its name has no rule, as in the contact import. */
export const contactPermissionFields: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(customerContactColumns)
    .filter(([, target]) => target !== 'name')
    .map(([field, target]) => [field, `contact:${target}`]),
);

const chineseNumber = ['', '一', '二', '三', '四', '五'];

/** Headers people write for the first person's columns (normalised, see headerKey); 联系电话 stays the customer's own phone. */
const firstContactGuesses: Readonly<Record<ContactTarget, readonly string[]>> = {
  name: ['联系人', '联系人姓名', '联系人名称', '主联系人', '首要联系人', '主要联系人', 'contact', 'contactname', 'contactperson', 'primarycontact'],
  phone: ['联系人电话', '联系人手机', '联系人手机号', '联系人手机号码', '联系人电话号码', 'contactphone', 'contactmobile', 'contacttel'],
  email: ['联系人邮箱', '联系人邮件', '联系人电子邮箱', '联系人电子邮件', 'contactemail', 'contactmail'],
  title: ['联系人职务', '联系人职位', '职务', '职位', 'contacttitle', 'jobtitle', 'title', 'position'],
  wechat: ['联系人微信', '微信', '微信号', 'contactwechat', 'wechat', 'weixin'],
};

/** What follows 联系人2 / contact2 in a header of that field: 联系人2手机, contact2phone. */
const slotSuffixes: Readonly<Record<ContactTarget, { zh: readonly string[]; en: readonly string[] }>> = {
  name: { zh: ['', '姓名', '名称'], en: ['', 'name'] },
  phone: { zh: ['电话', '手机', '手机号', '手机号码', '电话号码'], en: ['phone', 'mobile', 'tel'] },
  email: { zh: ['邮箱', '邮件', '电子邮箱', '电子邮件'], en: ['email', 'mail'] },
  title: { zh: ['职务', '职位'], en: ['title'] },
  wechat: { zh: ['微信'], en: ['wechat'] },
};

/** A slot's headers: 联系人2手机, 第二联系人手机, 联系人二手机, contact2phone (and 联系人1… for the first). */
function slotGuesses(slot: number, target: ContactTarget): string[] {
  const numeral = chineseNumber[slot] ?? String(slot);
  const stems = [`联系人${slot}`, `第${numeral}联系人`, `联系人${numeral}`];
  const { zh, en } = slotSuffixes[target];
  return [...stems.flatMap((stem) => zh.map((x) => `${stem}${x}`)), ...en.map((x) => `contact${slot}${x}`)];
}

/** Headers people write for every contact column. */
export const contactHeaderGuesses: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Array.from({ length: contactSlots }, (_, i) => i + 1).flatMap((slot) =>
    contactTargets.map((target) => [contactColumn(slot, target), slot === 1 ? [...firstContactGuesses[target], ...slotGuesses(1, target)] : slotGuesses(slot, target)]),
  ),
);

/** The template lists the first person's columns only. */
export const contactTemplateLabels: Readonly<Record<string, readonly [string, string]>> = {
  contactName: ['联系人', 'Contact name'],
  contactPhone: ['联系人手机', 'Contact phone'],
  contactEmail: ['联系人邮箱', 'Contact email'],
  contactTitle: ['联系人职务', 'Contact title'],
  contactWechat: ['联系人微信', 'Contact WeChat'],
};

export const contactTemplateHints: Readonly<Record<string, readonly [string, string]>> = {
  contactName: [
    `填写后成为客户的首要联系人；其他联系人列需要它。一行最多 ${contactSlots} 位联系人：再加 联系人2、联系人2手机 等列`,
    `becomes the customer's primary contact; the other contact columns need it. Up to ${contactSlots} people a row: add Contact 2 name, Contact 2 phone … columns`,
  ],
};

export interface RowContact {
  name: string;
  phone: string | null;
  email: string | null;
  title: string | null;
  wechat: string | null;
}

const rowContactSchema = createContactBody.pick({ name: true, phone: true, email: true, title: true, wechat: true });

/**
 * A new customer's first contact comes with creating it (as in `POST /customers`); adding to or
 * changing an existing customer's contacts ("update existing") needs the contact permissions.
 */
export function checkContactColumns(permissions: Permissions, mapping: Mapping, duplicateMode: DuplicateMode): void {
  const mapsContact = [...mapping.values()].some((f) => f in customerContactColumns);
  if (duplicateMode === 'update' && mapsContact && !(can(permissions, 'contact:create') && can(permissions, 'contact:edit'))) {
    throw new AppError('forbidden', { detail: 'You may not add or edit contacts of existing customers: leave the contact columns unmapped or choose another duplicate handling' });
  }
}

/**
 * The row's contacts, one per slot with cells, through the contact API's own schema; problems go
 * to `errors` under the slot's column (contact2Phone …).
 */
export function rowContacts(values: Readonly<Record<string, string>>, errors: RowError[]): RowContact[] {
  const contacts: RowContact[] = [];
  for (let slot = 1; slot <= contactSlots; slot += 1) {
    const body: Partial<Record<ContactTarget, string>> = {};
    for (const target of contactTargets) {
      const text = values[contactColumn(slot, target)];
      if (text !== undefined) {
        body[target] = text;
      }
    }
    if (Object.keys(body).length === 0) {
      continue;
    }
    if (body.name === undefined) {
      // Losing the phone quietly would be worse than asking for a name.
      errors.push({ field: contactColumn(slot, 'name'), message: 'a contact needs a name when the row has other contact columns' });
      continue;
    }
    const parsed = rowContactSchema.safeParse(body);
    if (!parsed.success) {
      errors.push(...zodRowErrors(parsed.error, (path) => contactColumn(slot, contactTargets.find((t) => t === path) ?? 'name')));
      continue;
    }
    const { name, phone, email, title, wechat } = parsed.data;
    contacts.push({ name, phone: phone ?? null, email: email ?? null, title: title ?? null, wechat: wechat ?? null });
  }
  return contacts;
}

/** The distinct contacts of a record's rows by name; a later row fills in and overrides, as it does for the record. */
function contactsOf(rows: readonly { extra: WithContact }[]): RowContact[] {
  const byName = new Map<string, RowContact>();
  for (const contact of rows.flatMap((r) => r.extra.contacts)) {
    const key = optionKey(contact.name);
    const seen = byName.get(key);
    const given = Object.fromEntries(Object.entries(contact).filter(([, v]) => v !== null));
    byName.set(key, seen ? { ...seen, ...given } : { ...contact });
  }
  return [...byName.values()];
}

interface Stamp {
  workspaceId: string;
  createdBy: string | null;
  now: string;
}

type ContactRecord = ReturnType<typeof newContactRecord>;
/** An adapter's row extra that carries the row's contacts. */
type WithContact = { contacts: readonly RowContact[] };

/**
 * Before the customers are inserted: the contact records of new customers, each customer's first
 * one primary (its `primaryContactId` is set on the pending record, so no second write is needed).
 */
export function newCustomersContacts<T extends WithContact>(creates: readonly PendingCreate<T>[], stamp: Stamp): ContactRecord[] {
  const out: ContactRecord[] = [];
  for (const c of creates) {
    contactsOf(c.rows).forEach((contact, index) => {
      const record = newContactRecord({ ...stamp, ...contact, customerId: String(c.record.id), ownerId: (c.record.ownerId as string | null) ?? null, isPrimary: index === 0 });
      if (index === 0) {
        c.record.primaryContactId = record.id;
      }
      out.push(record);
    });
  }
  return out;
}

/**
 * After the customers: the new customers' contacts and — unless the import's indexing stage does
 * it with their customers' (`deferred`, imports.customers-index.ts) — their search entries.
 */
export async function insertNewCustomersContacts(
  trx: Kysely<Database>,
  dialect: DialectName,
  workspaceId: string,
  records: readonly ContactRecord[],
  creates: readonly PendingCreate<WithContact>[],
  deferred: boolean,
): Promise<void> {
  if (records.length === 0) {
    return;
  }
  await insertContacts.insertMany(trx, dialect, records);
  if (deferred) {
    return;
  }
  const customerNames = new Map(creates.map((c) => [String(c.record.id), String(c.record.name)]));
  await indexNewContacts(
    trx,
    dialect,
    workspaceId,
    records.map((r) => ({ id: String(r.id), customerId: String(r.customerId), name: String(r.name), phone: r.phone as string | null, email: r.email as string | null, ownerId: r.ownerId as string | null, customerName: customerNames.get(String(r.customerId)) ?? '' })),
  );
}

interface Known {
  id: string;
  customerId: string;
  name: string;
  phoneKey: string | null;
  emailKey: string | null;
}

/**
 * Updated customers' contacts (after the customers' own update): a contact of the customer with the
 * same name, phone or email gets the row's values; otherwise the row's contact is added, primary
 * when the customer has none.
 */
export async function updateCustomersContacts<T extends WithContact>(trx: Kysely<Database>, dialect: DialectName, updates: readonly PendingUpdate<T>[], stamp: Stamp): Promise<void> {
  const wanted = updates.map((u) => ({ customerId: u.id, contacts: contactsOf(u.rows) })).filter((w) => w.contacts.length > 0);
  if (wanted.length === 0) {
    return;
  }
  const { workspaceId, now } = stamp;
  const customers = new Map<string, { ownerId: string | null; primaryContactId: string | null }>();
  // Each customer's live contacts (and those this batch adds), to match the rows' contacts against.
  const known = new Map<string, Known[]>();
  const remember = (k: Known) => {
    const list = known.get(k.customerId);
    if (list) {
      list.push(k);
    } else {
      known.set(k.customerId, [k]);
    }
  };
  for (const part of chunked(
    wanted.map((w) => w.customerId),
    500,
  )) {
    const rows = await trx.selectFrom('customers').select(['id', 'ownerId', 'primaryContactId']).where('workspaceId', '=', workspaceId).where('id', 'in', part).execute();
    rows.forEach((r) => customers.set(r.id, r));
    const contacts = await trx.selectFrom('contacts').select(['id', 'customerId', 'name', 'phoneKey', 'emailKey']).where('workspaceId', '=', workspaceId).where('customerId', 'in', part).where('deletedAt', 'is', null).execute();
    contacts.forEach(remember);
  }
  const inserts: ContactRecord[] = [];
  const touched: string[] = [];
  const primaries = new Map<string, string>();
  for (const { customerId, contacts } of wanted) {
    const customer = customers.get(customerId);
    if (!customer) {
      continue;
    }
    for (const contact of contacts) {
      const keys = { name: optionKey(contact.name), phone: phoneKey(contact.phone ?? undefined), email: emailKey(contact.email ?? undefined) };
      const match = (known.get(customerId) ?? []).find((k) => optionKey(k.name) === keys.name || (keys.phone !== null && k.phoneKey === keys.phone) || (keys.email !== null && k.emailKey === keys.email));
      if (match) {
        // The row's non-empty values, with the dedupe keys of those it sets.
        const { name, phone, email, title, wechat } = contact;
        await updateContactRow(
          trx,
          workspaceId,
          match.id,
          {
            name,
            ...(phone !== null ? { phone, phoneKey: keys.phone } : {}),
            ...(email !== null ? { email, emailKey: keys.email } : {}),
            ...(title !== null ? { title } : {}),
            ...(wechat !== null ? { wechat } : {}),
          },
          now,
        );
        touched.push(match.id);
        continue;
      }
      const primary = customer.primaryContactId === null && !primaries.has(customerId);
      const record = newContactRecord({ ...stamp, ...contact, customerId, ownerId: customer.ownerId, isPrimary: primary });
      inserts.push(record);
      touched.push(String(record.id));
      // A later row naming the same person finds this one.
      remember({ id: String(record.id), customerId, name: contact.name, phoneKey: keys.phone, emailKey: keys.email });
      if (primary) {
        primaries.set(customerId, String(record.id));
      }
    }
  }
  await insertContacts.insert(trx, inserts);
  for (const [customerId, contactId] of primaries) {
    await setPrimaryContact(trx, workspaceId, customerId, contactId, now);
  }
  await reindexContacts(trx, dialect, workspaceId, touched);
}
