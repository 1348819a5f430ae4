/**
 * Realistic-looking fake CRM data for the benchmarks: Chinese and English company and person
 * names, mobile numbers, emails, regions. Deterministic (seeded), and cheap per row, because the
 * generator makes millions of them.
 */

/** mulberry32: a tiny seeded PRNG, a few ns per draw (Math.random is not seedable). */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** A weighted choice, drawn by binary search over the cumulative weights. */
export class Weighted<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(
    private readonly values: readonly T[],
    weights: readonly number[],
  ) {
    let sum = 0;
    for (const w of weights) {
      sum += w;
      this.cumulative.push(sum);
    }
    this.total = sum;
  }

  draw(random: Random): T {
    const x = random.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cumulative[mid] ?? 0) > x) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return this.values[lo] as T;
  }
}

const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(n: number): string {
  return (hex[(n >>> 24) & 255] ?? '') + (hex[(n >>> 16) & 255] ?? '') + (hex[(n >>> 8) & 255] ?? '') + (hex[n & 255] ?? '');
}

/**
 * A UUIDv7 for a given time, like server/db/ids.ts makes, but for a past moment and without
 * that function's per-process monotonic clamp (bench rows are made out of time order).
 */
export function uuidV7At(ms: number, random: Random): string {
  const time = Math.floor(ms).toString(16).padStart(12, '0');
  const a = random.u32();
  const b = random.u32();
  const c = random.u32();
  const ver = `7${hex32(a).slice(0, 3)}`;
  const variant = (((a >>> 8) & 0x3f) | 0x80).toString(16) + hex32(b).slice(0, 2);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-${ver}-${variant}-${hex32(b).slice(2, 6)}${hex32(c)}`;
}

const surnames = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '于', '蒋', '蔡', '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '欧阳', '司马'];
const givenChars = ['伟', '芳', '娜', '秀', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂', '文', '华', '建', '国', '志', '海', '鹏', '飞', '婷', '雪', '琳', '晨', '浩', '宇', '欣', '怡', '子涵', '梓', '轩', '博', '嘉', '思', '佳', '一', '三', '四', '小'];
const englishFirst = ['James', 'Mary', 'John', 'Linda', 'David', 'Susan', 'Michael', 'Emma', 'Daniel', 'Olivia', 'Kevin', 'Grace', 'Tony', 'Helen', 'Eric', 'Lucy', 'Jack', 'Amy', 'Peter', 'Sophia'];
const englishLast = ['Smith', 'Johnson', 'Brown', 'Taylor', 'Miller', 'Wilson', 'Moore', 'Clark', 'Lee', 'Walker', 'Hall', 'Young', 'King', 'Wright', 'Green', 'Baker', 'Chan', 'Wong', 'Tan', 'Lim'];
const brandChars = ['华', '新', '恒', '瑞', '盛', '达', '通', '天', '宏', '远', '金', '信', '博', '创', '佳', '德', '益', '康', '嘉', '鑫', '隆', '泰', '中', '安', '顺', '和', '兴', '源', '汇', '锦', '海', '星', '辰', '云', '智', '联', '正', '光', '明', '诚'];
const trades = ['科技', '信息技术', '网络科技', '电子', '机械', '贸易', '商贸', '物流', '医疗器械', '生物科技', '教育科技', '建筑工程', '食品', '化工', '新能源', '汽车配件', '包装材料', '文化传媒', '软件', '环保科技', '服饰', '家居', '实业', '投资咨询'];
const companySuffixes = ['有限公司', '有限公司', '有限公司', '有限公司', '股份有限公司', '有限责任公司', '集团有限公司'];
const englishWords = ['Global', 'Pacific', 'Summit', 'Bright', 'Apex', 'Nova', 'Blue', 'River', 'Golden', 'Harbor', 'Silver', 'Orient', 'Prime', 'Union', 'Vertex', 'Atlas', 'Maple', 'Crystal', 'Eagle', 'Delta'];
const englishTrades = ['Technologies', 'Trading', 'Logistics', 'Electronics', 'Foods', 'Systems', 'Industries', 'Solutions', 'Medical', 'Materials'];
const englishSuffixes = ['Co., Ltd.', 'Ltd.', 'Inc.', 'Corp.', 'LLC', 'Limited'];
const mobilePrefixes = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '158', '159', '166', '176', '177', '180', '181', '186', '187', '188', '189', '199'];
const mailDomains = ['qq.com', '163.com', '126.com', 'sina.com', 'gmail.com', 'outlook.com', 'foxmail.com', 'aliyun.com'];
const pinyin = ['wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao', 'wu', 'zhou', 'xu', 'sun', 'ma', 'zhu', 'hu', 'guo', 'lin', 'luo', 'zheng', 'liang'];
const titles = ['总经理', '副总经理', '采购经理', '采购专员', '技术总监', '财务经理', '行政主管', 'IT经理', '市场总监', '销售总监', 'CEO', 'CTO', '董事长', '项目经理', '运营经理'];
const contactDepartments = ['采购部', '技术部', '财务部', '行政部', '信息部', '市场部', '总经办', '运营部'];

/** Province → cities, and the sales region (the `region` custom field) it belongs to. */
export const places: readonly { province: string; cities: readonly string[]; region: string }[] = [
  { province: '上海市', cities: ['上海市'], region: 'east' },
  { province: '江苏省', cities: ['南京市', '苏州市', '无锡市', '常州市'], region: 'east' },
  { province: '浙江省', cities: ['杭州市', '宁波市', '温州市', '嘉兴市'], region: 'east' },
  { province: '山东省', cities: ['济南市', '青岛市', '烟台市'], region: 'east' },
  { province: '安徽省', cities: ['合肥市', '芜湖市'], region: 'east' },
  { province: '北京市', cities: ['北京市'], region: 'north' },
  { province: '天津市', cities: ['天津市'], region: 'north' },
  { province: '河北省', cities: ['石家庄市', '唐山市', '保定市'], region: 'north' },
  { province: '辽宁省', cities: ['沈阳市', '大连市'], region: 'north' },
  { province: '广东省', cities: ['广州市', '深圳市', '东莞市', '佛山市', '珠海市'], region: 'south' },
  { province: '福建省', cities: ['福州市', '厦门市', '泉州市'], region: 'south' },
  { province: '广西壮族自治区', cities: ['南宁市', '桂林市'], region: 'south' },
  { province: '湖北省', cities: ['武汉市', '宜昌市'], region: 'central' },
  { province: '湖南省', cities: ['长沙市', '株洲市'], region: 'central' },
  { province: '河南省', cities: ['郑州市', '洛阳市'], region: 'central' },
  { province: '四川省', cities: ['成都市', '绵阳市'], region: 'west' },
  { province: '重庆市', cities: ['重庆市'], region: 'west' },
  { province: '陕西省', cities: ['西安市', '咸阳市'], region: 'west' },
];
export const placeWeights = [10, 9, 9, 6, 4, 9, 3, 3, 3, 10, 5, 2, 4, 3, 3, 5, 3, 3];

export const regionOptions = [
  { value: 'east', label: '华东' },
  { value: 'north', label: '华北' },
  { value: 'south', label: '华南' },
  { value: 'central', label: '华中' },
  { value: 'west', label: '西部' },
];

const streets = ['人民路', '中山路', '解放路', '建设路', '科技园路', '滨江大道', '世纪大道', '长江路', '黄河路', '创业路'];

const followUpSentences = [
  '电话沟通了采购需求，客户对报价有疑问，约下周再详细沟通。',
  '上门拜访，见到了采购负责人，演示了产品，反馈良好。',
  '客户要求提供详细方案和报价单，已发送邮件。',
  '微信跟进，客户表示预算还在审批中。',
  '参加了客户的内部评审会，技术部提出了三个问题，需要回复。',
  '客户对竞品更感兴趣，需要强调我们的售后服务优势。',
  '合同条款已基本确认，等待法务审核。',
  '电话未接通，稍后再联系。',
  '客户反馈上次的样品质量不错，准备小批量试单。',
  '陪同客户参观了工厂，客户很满意，下月可能下单。',
  'Followed up by email with the revised quotation; waiting for their procurement team.',
  'Demo call with the IT manager; they want a trial account for two weeks.',
  '年底预算紧张，客户建议明年一季度再联系。',
  '已寄出发票和资料，提醒客户按时回款。',
];

export function personName(random: Random): string {
  if (random.chance(0.12)) {
    return `${random.pick(englishFirst)} ${random.pick(englishLast)}`;
  }
  const surname = random.pick(surnames);
  return random.chance(0.6) ? surname + random.pick(givenChars) : surname + random.pick(givenChars) + random.pick(givenChars);
}

export function companyName(random: Random, city: string): string {
  if (random.chance(0.15)) {
    return `${random.pick(englishWords)} ${random.pick(englishWords)} ${random.pick(englishTrades)} ${random.pick(englishSuffixes)}`;
  }
  const prefix = random.chance(0.7) ? city.replace(/市$/, '') : '';
  const brand = random.pick(brandChars) + random.pick(brandChars) + (random.chance(0.2) ? random.pick(brandChars) : '');
  return `${prefix}${brand}${random.pick(trades)}${random.pick(companySuffixes)}`;
}

export function mobile(random: Random): string {
  return random.pick(mobilePrefixes) + String(random.int(100_000_000)).padStart(8, '0');
}

/** Some numbers are written the way people type them: +86, dashes, spaces. */
export function formattedMobile(random: Random): string {
  const m = mobile(random);
  const style = random.int(10);
  if (style === 0) {
    return `+86 ${m}`;
  }
  if (style === 1) {
    return `${m.slice(0, 3)}-${m.slice(3, 7)}-${m.slice(7)}`;
  }
  return m;
}

export function email(random: Random, serial: number): string {
  return `${random.pick(pinyin)}${random.pick(pinyin)}${serial}@${random.pick(mailDomains)}`;
}

export function companyEmail(random: Random, serial: number): string {
  return `${random.pick(['info', 'sales', 'contact', 'service', 'hr'])}${serial}@${random.pick(pinyin)}${random.pick(pinyin)}.com.cn`;
}

export function address(random: Random): string {
  return `${random.pick(streets)}${1 + random.int(999)}号${random.chance(0.5) ? `${1 + random.int(30)}楼` : ''}`;
}

export function followUpContent(random: Random): string {
  return random.pick(followUpSentences);
}

export function jobTitle(random: Random): string {
  return random.pick(titles);
}

export function contactDepartment(random: Random): string {
  return random.pick(contactDepartments);
}
