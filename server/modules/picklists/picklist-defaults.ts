import type { Locale } from '../../../common/locale';

type Defaults = Record<string, { value: string; zh: string; en: string; color?: string }[]>;

/** The option lists admins can edit (Settings → Options), with the values new workspaces start with. */
export const picklistDefaults: Defaults = {
  'customer.level': [
    { value: 'A', zh: 'A（重点客户）', en: 'A (key account)', color: 'red' },
    { value: 'B', zh: 'B（普通客户）', en: 'B (regular)', color: 'orange' },
    { value: 'C', zh: 'C（非优先客户）', en: 'C (low priority)', color: 'blue' },
    { value: 'D', zh: 'D（待评估）', en: 'D (unrated)', color: 'default' },
  ],
  'customer.source': [
    { value: 'phone', zh: '电话咨询', en: 'Phone inquiry' },
    { value: 'web', zh: '官网', en: 'Website' },
    { value: 'referral', zh: '客户介绍', en: 'Referral' },
    { value: 'exhibition', zh: '展会', en: 'Trade show' },
    { value: 'ads', zh: '广告推广', en: 'Advertising' },
    { value: 'cold_call', zh: '陌生拜访', en: 'Cold outreach' },
    { value: 'other', zh: '其他', en: 'Other' },
  ],
  'customer.industry': [
    { value: 'it', zh: 'IT/互联网', en: 'IT / Internet' },
    { value: 'manufacturing', zh: '制造业', en: 'Manufacturing' },
    { value: 'finance', zh: '金融', en: 'Finance' },
    { value: 'education', zh: '教育', en: 'Education' },
    { value: 'retail', zh: '零售/电商', en: 'Retail / e-commerce' },
    { value: 'healthcare', zh: '医疗健康', en: 'Healthcare' },
    { value: 'real_estate', zh: '房地产', en: 'Real estate' },
    { value: 'government', zh: '政府/事业单位', en: 'Government' },
    { value: 'other', zh: '其他', en: 'Other' },
  ],
  'followUp.type': [
    { value: 'call', zh: '电话', en: 'Call' },
    { value: 'visit', zh: '拜访', en: 'Visit' },
    { value: 'email', zh: '邮件', en: 'Email' },
    { value: 'sms', zh: '短信', en: 'SMS' },
    { value: 'wechat', zh: '微信', en: 'WeChat' },
    { value: 'meeting', zh: '会议', en: 'Meeting' },
    { value: 'note', zh: '备注', en: 'Note' },
  ],
  'payment.method': [
    { value: 'bank_transfer', zh: '银行转账', en: 'Bank transfer' },
    { value: 'cash', zh: '现金', en: 'Cash' },
    { value: 'wechat', zh: '微信支付', en: 'WeChat Pay' },
    { value: 'alipay', zh: '支付宝', en: 'Alipay' },
    { value: 'cheque', zh: '支票', en: 'Cheque' },
    { value: 'acceptance_bill', zh: '承兑汇票', en: 'Bank acceptance bill' },
    { value: 'other', zh: '其他', en: 'Other' },
  ],
};

export const picklistKeys = Object.keys(picklistDefaults);

export function defaultLabel(entry: { zh: string; en: string }, locale: Locale): string {
  return locale === 'zh-CN' ? entry.zh : entry.en;
}

/**
 * The label to show for an option: a seeded option whose label is still one of its default labels
 * (in either language) reads in the reader's language, so an English user of a Chinese workspace
 * sees "A (key account)"; a label an admin wrote is shown as written.
 */
export function presentedLabel(listKey: string, value: string, label: string, locale: Locale): string {
  const seeded = picklistDefaults[listKey]?.find((d) => d.value === value);
  return seeded && (label === seeded.zh || label === seeded.en) ? defaultLabel(seeded, locale) : label;
}
