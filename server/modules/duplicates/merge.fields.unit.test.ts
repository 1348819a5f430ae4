import { describe, expect, it } from 'vitest';
import type { CustomFieldDefinition } from '../../../common/custom-fields';
import { AppError } from '../../http/app-error';
import { differingFields, fieldValue, mergeCollaborators, mergeFields, mergeFollowups, type MergeRow, resolveChoices } from './merge.fields';

const definitions = [{ key: 'region', type: 'text' }] as unknown as CustomFieldDefinition[];
const fields = mergeFields(definitions);
const row = (id: string, values: Record<string, unknown>, custom: Record<string, unknown> = {}): MergeRow => ({
  id,
  name: 'Acme',
  phone: null,
  province: null,
  city: null,
  district: null,
  address: null,
  ownerId: 'u1',
  ...values,
  custom,
});

describe('merge field choices', () => {
  it('lists built-in fields, the address as one field, and custom fields as cf.<key>', () => {
    expect(fields.map((f) => f.field)).toEqual(['name', 'kind', 'phone', 'email', 'website', 'level', 'source', 'industry', 'lifecycleStage', 'address', 'remark', 'ownerId', 'cf.region']);
    expect(fieldValue(row('a', { city: '上海' }), fields.find((f) => f.field === 'address') ?? fields[0]!)).toEqual({ province: null, city: '上海', district: null, address: null });
  });

  it('finds the fields on which the customers differ', () => {
    const rows = [row('t', { phone: '1' }, { region: 'east' }), row('s', { phone: '2' }, { region: 'east' })];
    expect(differingFields(fields, rows).map((f) => f.field)).toEqual(['phone']);
  });

  it('turns choices into the target changes, skipping no-ops', () => {
    const target = row('t', { phone: '1', city: '北京' }, { region: 'east' });
    const source = row('s', { phone: '2', city: '上海', name: 'ACME' }, { region: 'west' });
    const resolved = resolveChoices(fields, target, [source], { phone: 's', address: 's', 'cf.region': 's', name: 't', ownerId: 's' });
    expect(resolved.columns).toEqual({ phone: '2', province: null, city: '上海', district: null, address: null });
    expect(resolved.custom).toEqual({ region: 'west' });
    expect(resolved.changed.map((f) => f.field)).toEqual(['phone', 'address', 'cf.region']);
  });

  it('rejects unknown fields and customers outside the merge', () => {
    const target = row('t', {});
    const attempt = () => resolveChoices(fields, target, [row('s', {})], { nope: 's', phone: 'x' });
    expect(attempt).toThrow(AppError);
    try {
      attempt();
    } catch (error) {
      expect((error as AppError).errors?.map((e) => e.path)).toEqual(['fields.nope', 'fields.phone']);
    }
  });
});

describe('merging collaborators and follow-up summaries', () => {
  it('keeps one entry per user with the widest access and latest expiry, never the owner', () => {
    expect(
      mergeCollaborators(
        [
          [
            { userId: 'b', access: 'read', expiresAt: '2030-01-01T00:00:00.000Z' },
            { userId: 'owner', access: 'write', expiresAt: null },
            { userId: 'c', access: 'read', expiresAt: '2030-01-01T00:00:00.000Z' },
          ],
          [
            { userId: 'b', access: 'write', expiresAt: '2031-01-01T00:00:00.000Z' },
            { userId: 'c', access: 'read', expiresAt: null },
          ],
        ],
        'owner',
      ),
    ).toEqual([
      { userId: 'b', access: 'write', expiresAt: '2031-01-01T00:00:00.000Z' },
      { userId: 'c', access: 'read', expiresAt: null },
    ]);
  });

  it('takes the latest follow-up and the soonest next one', () => {
    expect(
      mergeFollowups([
        { lastFollowupAt: '2026-01-01T00:00:00.000Z', lastFollowupContent: 'old', nextFollowupAt: '2026-03-01T00:00:00.000Z' },
        { lastFollowupAt: '2026-02-01T00:00:00.000Z', lastFollowupContent: 'new', nextFollowupAt: null },
        { lastFollowupAt: null, lastFollowupContent: null, nextFollowupAt: '2026-02-15T00:00:00.000Z' },
      ]),
    ).toEqual({ lastFollowupAt: '2026-02-01T00:00:00.000Z', lastFollowupContent: 'new', nextFollowupAt: '2026-02-15T00:00:00.000Z' });
  });
});
