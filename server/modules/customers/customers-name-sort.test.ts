import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { walkList } from '../../testing/list-walk';
import { type Client, createTestApp, type TestApp } from '../../testing/test-app';

interface Page {
  data: { id: string; name: string }[];
  nextCursor: string | null;
}

function walkAll(client: Client, query: string): Promise<string[]> {
  return walkList<{ name: string }, string>(client, `/api/v1/customers?${query}`, (c) => c.name);
}

/*
 * A sort by name runs on the normalised name (name_key: case, width, punctuation and company
 * suffixes folded; migration 0021), ties by id. Names that fold alike must page without a loss or
 * a repeat, and `name=` / `name[in]=` still match the exact name (the key only narrows).
 */
describe('customer list: sort and filters by name', () => {
  let t: TestApp;
  let ws: TestWorkspace;
  // Created in this order, so ids (UUIDv7) rise down the list.
  const names = ['Acme Co., Ltd.', 'beta-trading', 'ACME', 'Zeta', '阿里巴巴有限公司', 'acme', 'Beta Trading', 'ＡＣＭＥ', 'delta'];
  const acmes = ['Acme Co., Ltd.', 'ACME', 'acme', 'ＡＣＭＥ'];

  beforeAll(async () => {
    t = await createTestApp();
    ws = await createWorkspaceWithAdmin(t, 'Name Sort Co');
    for (const name of names) {
      const res = await ws.admin.post('/api/v1/customers', { name });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('orders by the folded name with ties by creation, the same at every page size, and reverses exactly', async () => {
    const full = await walkAll(ws.admin, 'sort=name&limit=100');
    expect([...full].sort()).toEqual([...names].sort());
    // Names folding to one key sit together, in id (creation) order.
    const first = full.indexOf('Acme Co., Ltd.');
    expect(full.slice(first, first + 4)).toEqual(acmes);
    const beta = full.indexOf('beta-trading');
    expect(full.slice(beta, beta + 2)).toEqual(['beta-trading', 'Beta Trading']);
    // Latin keys in byte order between the groups: acme < betatrading < delta < zeta.
    expect(full.indexOf('Acme Co., Ltd.')).toBeLessThan(beta);
    expect(beta).toBeLessThan(full.indexOf('delta'));
    expect(full.indexOf('delta')).toBeLessThan(full.indexOf('Zeta'));
    for (const limit of [1, 2, 3, 4]) {
      expect(await walkAll(ws.admin, `sort=name&limit=${limit}`)).toEqual(full);
      expect(await walkAll(ws.admin, `sort=-name&limit=${limit}`)).toEqual([...full].reverse());
    }
  });

  it('filters name= and name[in]= on the exact name, and name[contains] without case', async () => {
    expect(await walkAll(ws.admin, 'name=ACME&sort=name')).toEqual(['ACME']);
    expect(await walkAll(ws.admin, `name=${encodeURIComponent('Acme Co., Ltd.')}`)).toEqual(['Acme Co., Ltd.']);
    expect(await walkAll(ws.admin, 'name=acme%20co')).toEqual([]);
    expect(await walkAll(ws.admin, `name[in]=${encodeURIComponent('ACME,Zeta,阿里巴巴有限公司,nobody')}&sort=name`)).toEqual(
      (await walkAll(ws.admin, 'sort=name&limit=100')).filter((n) => ['ACME', 'Zeta', '阿里巴巴有限公司'].includes(n)),
    );
    expect((await walkAll(ws.admin, 'name[contains]=acme&sort=name')).sort()).toEqual(['ACME', 'Acme Co., Ltd.', 'acme'].sort());
    expect(await walkAll(ws.admin, 'name[ne]=ACME&sort=name&limit=100')).toHaveLength(names.length - 1);
  });

  it('renaming moves a customer to its new place in the sort', async () => {
    const list = await ws.admin.get<Page>('/api/v1/customers?name=delta');
    const id = list.body.data[0]?.id ?? '';
    const renamed = await ws.admin.request('PATCH', `/api/v1/customers/${id}`, { name: 'Aardvark Ltd' });
    expect(renamed.status).toBe(200);
    expect((await walkAll(ws.admin, 'sort=name&limit=2'))[0]).toBe('Aardvark Ltd');
  });
});
