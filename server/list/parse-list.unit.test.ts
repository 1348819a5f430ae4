import { describe, expect, it } from 'vitest';
import type { CustomFieldDefinition } from '../../common/custom-fields';
import { AppError } from '../http/app-error';
import type { FieldAccess } from '../modules/permissions/permissions.service';
import type { ListSpec } from './list-spec';
import { encodeListCursor, parseListQuery } from './parse-list';

const spec: ListSpec = {
  entity: 'thing',
  customColumn: 't.custom',
  idColumn: 't.id',
  defaultSort: '-createdAt',
  fields: [
    { name: 'name', column: 't.name', type: 'text', nullable: false, sortable: true },
    { name: 'level', column: 't.level', type: 'enum', nullable: true, sortable: true },
    { name: 'phone', column: 't.phone', type: 'text', nullable: true, sortable: false, permissionField: 'phone' },
    { name: 'createdAt', column: 't.created_at', type: 'datetime', nullable: false, sortable: true },
  ],
};
const custom: CustomFieldDefinition[] = [
  { key: 'size', label: 'Size', type: 'number', required: false, unique: false, options: [] },
  { key: 'tags', label: 'Tags', type: 'multiSelect', required: false, unique: false, options: [{ value: 'a', label: 'A' }] },
];
const editable = (): FieldAccess => ({ access: 'edit', masked: false });

function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) {
      return (error.errors ?? []).map((e) => e.path);
    }
    throw error;
  }
  return [];
}

describe('parseListQuery', () => {
  it('reads equality, operators, repeated values and custom fields', () => {
    const parsed = parseListQuery({ level: ['A', 'B'], 'createdAt[gte]': '2026-01-01', 'cf.size[lt]': '10', sort: 'name' }, spec, custom, editable);
    expect(parsed.filters.map((f) => [f.target.kind === 'field' ? f.target.field.name : f.target.field.key, f.op, f.values])).toEqual([
      ['level', 'in', ['A', 'B']],
      ['createdAt', 'gte', ['2026-01-01']],
      ['size', 'lt', ['10']],
    ]);
    expect(parsed.sort).toMatchObject({ name: 'name', direction: 'asc' });
    expect(parsed.limit).toBe(50);
  });

  it('refuses unknown fields, wrong operators, bad values and bad limits with 400 naming them', () => {
    expect(errorsOf(() => parseListQuery({ nope: '1' }, spec, custom, editable))).toEqual(['nope']);
    expect(errorsOf(() => parseListQuery({ 'name[gt]': 'x' }, spec, custom, editable))).toEqual(['name[gt]']);
    expect(errorsOf(() => parseListQuery({ 'cf.size': 'big' }, spec, custom, editable))).toEqual(['cf.size']);
    expect(errorsOf(() => parseListQuery({ 'cf.tags[gt]': 'a' }, spec, custom, editable))).toEqual(['cf.tags[gt]']);
    expect(errorsOf(() => parseListQuery({ limit: '500' }, spec, custom, editable))).toEqual(['limit']);
    expect(errorsOf(() => parseListQuery({ sort: 'phone' }, spec, custom, editable))).toEqual(['sort']);
  });

  it('treats hidden fields as unknown: no filtering or sorting on what you may not see', () => {
    const hidden = (field: string): FieldAccess => (field === 'phone' || field === 'cf.size' ? { access: 'hidden', masked: false } : editable());
    expect(errorsOf(() => parseListQuery({ phone: '138' }, spec, custom, hidden))).toEqual(['phone']);
    expect(errorsOf(() => parseListQuery({ sort: 'cf.size' }, spec, custom, hidden))).toEqual(['sort']);
  });

  it('takes only whole values for a masked field, so a filter cannot reveal it piece by piece', () => {
    const masked = (field: string): FieldAccess => (field === 'phone' || field === 'cf.size' ? { access: 'read', masked: true } : editable());
    for (const key of ['phone[contains]', 'phone[gt]', 'phone[lte]', 'cf.size[gte]', 'cf.size[lt]']) {
      expect(errorsOf(() => parseListQuery({ [key]: '1234' }, spec, custom, masked))).toEqual([key]);
    }
    expect(errorsOf(() => parseListQuery({ sort: 'cf.size' }, spec, custom, masked))).toEqual(['sort']);
    const whole = parseListQuery({ phone: '13800138000', 'cf.size[in]': '1,2', 'phone[empty]': 'false' }, spec, custom, masked);
    expect(whole.filters.map((f) => f.op)).toEqual(['eq', 'in', 'empty']);
    // The same queries are fine where the field is not masked.
    expect(parseListQuery({ 'phone[contains]': '1234', sort: 'cf.size' }, spec, custom, editable).filters).toHaveLength(1);
  });

  it('refuses dates that do not exist or do not parse, and empty tests that are not true or false', () => {
    for (const value of ['2026-13-01', '2026-00-10', '2026-02-30', '2026-11-32', '99999-01-01', '2026-1-1', 'yesterday', '2026-01-01T25:00:00Z', '2026-02-30T10:00:00Z']) {
      expect(errorsOf(() => parseListQuery({ 'createdAt[gte]': value }, spec, custom, editable))).toEqual(['createdAt[gte]']);
    }
    for (const value of ['2024-02-29', '2026-11-24T08:30:00Z', '2026-11-24T08:30:00.123+08:00', '2026-11-24T08:30']) {
      expect(parseListQuery({ 'createdAt[gte]': value }, spec, custom, editable).filters[0]?.values).toEqual([value]);
    }
    expect(errorsOf(() => parseListQuery({ 'level[empty]': 'maybe' }, spec, custom, editable))).toEqual(['level[empty]']);
    expect(parseListQuery({ 'level[empty]': 'true' }, spec, custom, editable).filters[0]?.op).toBe('empty');
  });

  it('accepts a cursor only for the sort it was made for', () => {
    const cursor = encodeListCursor('name', 'Acme', '01a205a9-f24e-70e8-a482-330494304f4b');
    expect(parseListQuery({ sort: 'name', cursor }, spec, custom, editable).cursor).toEqual({ value: 'Acme', id: '01a205a9-f24e-70e8-a482-330494304f4b' });
    expect(errorsOf(() => parseListQuery({ sort: '-createdAt', cursor }, spec, custom, editable))).toEqual(['cursor']);
    expect(errorsOf(() => parseListQuery({ cursor: 'garbage' }, spec, custom, editable))).toEqual(['cursor']);
  });
});
