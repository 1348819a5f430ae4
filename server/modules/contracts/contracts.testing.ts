import { expect } from 'vitest';
import { formatMoney } from '../../../common/money';
import type { Client, Json } from '../../testing/test-app';

export interface ContractJson {
  id: string;
  number: string;
  name: string;
  status: string;
  total?: string;
  currency?: string;
  customerId: string;
  dealId: string | null;
  approvalId: string | null;
  lines?: { productId: string | null; name: string; price: string; quantity: number; discountPercent: number; amount: string }[];
  files: { id: string; name: string }[];
  approval: { id: string; status: string; steps: { name: string; state: string }[]; history: { action: string; comment: string | null }[] } | null;
  access: { edit: boolean; delete: boolean; submit: boolean; void: boolean };
  version: number;
  [key: string]: unknown;
}

/** A customer (with a primary contact) owned by the client's user. */
export async function customerOf(client: Client, name: string): Promise<{ customerId: string; contactId: string }> {
  const res = await client.post('/api/v1/customers', { name, contact: { name: `${name} 联系人` } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { customerId: String(res.body.id), contactId: String(res.body.primaryContactId) };
}

/** A product priced in cents (sent as the API's decimal string). */
export async function product(admin: Client, name: string, priceCents: number): Promise<string> {
  const res = await admin.post('/api/v1/products', { name, unit: '套', price: formatMoney(priceCents) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return String(res.body.id);
}

export async function createContract(client: Client, body: Json) {
  return client.post<ContractJson>('/api/v1/contracts', { name: '年度服务合同', ...body });
}

/** A one-step flow for contracts: the given approver kinds, 或签 unless told otherwise. */
export async function contractFlow(admin: Client, approvers: Json[], extra: Json = {}) {
  const res = await admin.post('/api/v1/approval-flows', { subjectType: 'contract', name: '合同审批', steps: [{ name: '审批', mode: 'any', approvers }], ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return String(res.body.id);
}
