import type { CustomFieldDefinition } from '../../../common/custom-fields';
import { AppError, type FieldError } from '../../http/app-error';
import { assertWritableFields, type Permissions } from '../permissions/permissions.service';

export const importEntities = ['customer', 'contact'] as const;
export type ImportEntity = (typeof importEntities)[number];

/** Built-in fields a column may map to, per entity (custom fields are `cf.<key>`). */
export const importFields: Record<ImportEntity, readonly string[]> = {
  customer: ['name', 'kind', 'phone', 'email', 'website', 'level', 'source', 'industry', 'lifecycleStage', 'province', 'city', 'district', 'address', 'remark', 'owner', 'tags'],
  contact: ['customer', 'name', 'phone', 'email', 'title', 'department', 'wechat', 'isPrimary', 'isDecisionMaker', 'remark'],
};

const requiredFields: Record<ImportEntity, readonly string[]> = { customer: ['name'], contact: ['customer', 'name'] };

/** The permission-catalog field guarding each importable field (field rules apply to imports as to forms). */
const permissionFields: Record<ImportEntity, Record<string, string>> = {
  customer: {
    phone: 'phone',
    email: 'email',
    website: 'website',
    level: 'level',
    source: 'source',
    industry: 'industry',
    lifecycleStage: 'lifecycleStage',
    province: 'address',
    city: 'address',
    district: 'address',
    address: 'address',
    remark: 'remark',
    owner: 'owner',
    tags: 'tags',
  },
  contact: { phone: 'phone', email: 'email', wechat: 'wechat', title: 'title', remark: 'remark' },
};

const common = {
  phone: ['电话', '手机', '手机号', '手机号码', '电话号码', '联系电话', '联系方式', '座机', '固话', '移动电话', 'phone', 'mobile', 'tel', 'telephone', 'phonenumber', 'mobilephone', 'cellphone', 'mobilenumber'],
  email: ['邮箱', '电子邮箱', '邮件', '电子邮件', '邮箱地址', 'email', 'mail', 'emailaddress'],
  remark: ['备注', '说明', '描述', '备注信息', 'remark', 'remarks', 'note', 'notes', 'comment', 'comments', 'description'],
};

/** Headers people write, in 中文 and English, normalised (see headerKey). */
const dictionary: Record<ImportEntity, Record<string, readonly string[]>> = {
  customer: {
    name: ['客户名称', '客户名', '公司名称', '公司名', '公司', '客户', '企业名称', '企业', '单位名称', '单位', '名称', 'name', 'company', 'companyname', 'customer', 'customername', 'account', 'accountname', 'organization', 'organisation'],
    kind: ['客户类型', '类型', '客户性质', 'kind', 'type', 'customertype'],
    ...common,
    website: ['网址', '网站', '官网', '公司网址', '公司网站', 'website', 'url', 'web', 'homepage'],
    level: ['级别', '客户级别', '等级', '客户等级', 'level', 'rating', 'tier', 'grade'],
    source: ['来源', '客户来源', '获客渠道', '渠道', 'source', 'leadsource', 'channel'],
    industry: ['行业', '所属行业', '客户行业', 'industry', 'sector'],
    lifecycleStage: ['生命周期', '生命周期阶段', '客户阶段', '阶段', 'lifecycle', 'lifecyclestage', 'stage'],
    province: ['省份', '省', '所在省份', '所在省', 'province', 'state'],
    city: ['城市', '市', '所在城市', '所在市', 'city'],
    district: ['区县', '区', '县', '所在区县', 'district', 'county'],
    address: ['地址', '详细地址', '联系地址', '公司地址', '通讯地址', 'address', 'streetaddress'],
    owner: ['负责人', '所有人', '归属人', '销售', '销售负责人', '客户负责人', '跟进人', '业务员', 'owner', 'salesrep', 'assignedto', 'accountowner'],
    tags: ['标签', '客户标签', 'tags', 'tag', 'labels', 'label'],
  },
  contact: {
    customer: ['客户名称', '客户', '公司名称', '公司', '所属客户', '所属公司', '企业名称', '单位名称', 'customer', 'customername', 'company', 'companyname', 'account', 'accountname'],
    name: ['联系人', '联系人姓名', '联系人名称', '姓名', '名字', 'name', 'contact', 'contactname', 'fullname'],
    ...common,
    title: ['职务', '职位', '头衔', 'title', 'jobtitle', 'position'],
    department: ['部门', '所在部门', 'department', 'dept'],
    wechat: ['微信', '微信号', 'wechat', 'weixin'],
    isPrimary: ['首要联系人', '主联系人', '主要联系人', 'primary', 'isprimary', 'primarycontact'],
    isDecisionMaker: ['关键决策人', '决策人', '是否决策人', 'decisionmaker', 'isdecisionmaker', 'keydecisionmaker'],
  },
};

/**
 * A header as matched against the dictionary and remembered choices: width, case, spaces,
 * punctuation, required-markers and bracketed notes are ignored ("客户名称（必填）*" = "客户名称").
 */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】|<[^>]*>/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '')
    .slice(0, 100);
}

export function isImportEntity(value: string): value is ImportEntity {
  return (importEntities as readonly string[]).includes(value);
}

/**
 * Guesses each column's field: the workspace's past choice for the header first, then a custom
 * field by label, then the dictionary, then a custom field by key. A field goes to one column only.
 */
export function guessMapping(
  entity: ImportEntity,
  headers: readonly string[],
  definitions: readonly CustomFieldDefinition[],
  remembered: ReadonlyMap<string, string | null>,
): Record<string, string> {
  const taken = new Set<string>();
  const guesses: Record<string, string> = {};
  const valid = (field: string) => importFields[entity].includes(field) || (field.startsWith('cf.') && definitions.some((d) => `cf.${d.key}` === field));
  headers.forEach((header, index) => {
    const key = headerKey(header);
    if (key === '') {
      return;
    }
    let field: string | null | undefined;
    if (remembered.has(key)) {
      const choice = remembered.get(key) ?? null;
      if (choice === null) {
        return; // deliberately left unmapped last time
      }
      field = valid(choice) ? choice : undefined;
    }
    const byLabel = definitions.find((d) => headerKey(d.label) === key);
    const byKey = definitions.find((d) => headerKey(d.key) === key);
    field ??= byLabel ? `cf.${byLabel.key}` : undefined;
    field ??= Object.entries(dictionary[entity]).find(([, words]) => words.includes(key))?.[0];
    field ??= byKey ? `cf.${byKey.key}` : undefined;
    if (field && !taken.has(field)) {
      taken.add(field);
      guesses[String(index)] = field;
    }
  });
  return guesses;
}

/** A validated mapping: column index → field. */
export type Mapping = Map<number, string>;

/**
 * Checks a mapping from the wizard: known columns and fields, each field once, the required ones
 * present, and every mapped field writable for the importer (403 field_forbidden otherwise).
 */
export function validateMapping(
  entity: ImportEntity,
  raw: Record<string, string | null>,
  columnCount: number,
  definitions: readonly CustomFieldDefinition[],
  permissions: Permissions,
): Mapping {
  const errors: FieldError[] = [];
  const mapping: Mapping = new Map();
  const used = new Set<string>();
  for (const [column, field] of Object.entries(raw)) {
    const index = Number(column);
    if (!/^\d+$/.test(column) || index >= columnCount) {
      errors.push({ path: `mapping.${column}`, message: 'no such column' });
      continue;
    }
    if (field === null || field === '') {
      continue;
    }
    const known = importFields[entity].includes(field) || (field.startsWith('cf.') && definitions.some((d) => `cf.${d.key}` === field));
    if (!known) {
      errors.push({ path: `mapping.${column}`, message: `unknown field ${field}` });
      continue;
    }
    if (used.has(field)) {
      errors.push({ path: `mapping.${column}`, message: `${field} is mapped twice` });
      continue;
    }
    used.add(field);
    mapping.set(index, field);
  }
  for (const field of requiredFields[entity]) {
    if (!used.has(field)) {
      errors.push({ path: 'mapping', message: `map a column to ${field}` });
    }
  }
  if (errors.length > 0) {
    throw new AppError('validation_failed', { errors });
  }
  const guarded = [...mapping.values()].map((f) => (f.startsWith('cf.') ? f : permissionFields[entity][f])).filter((f): f is string => f !== undefined);
  assertWritableFields(permissions, entity, [...new Set(guarded)]);
  return mapping;
}

export function mappingToJson(mapping: Mapping): Record<string, string> {
  return Object.fromEntries([...mapping.entries()].map(([k, v]) => [String(k), v]));
}

export function mappingFromJson(value: unknown): Mapping {
  const mapping: Mapping = new Map();
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v === 'string') {
        mapping.set(Number(k), v);
      }
    }
  }
  return mapping;
}
