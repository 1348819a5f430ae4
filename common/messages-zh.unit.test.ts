import { describe, expect, it } from 'vitest';
import { localizeMessage, zhMessage } from './messages-zh';

describe('zhMessage', () => {
  it('translates the messages the server writes, with their values, and leaves unknown ones as they are', () => {
    expect(zhMessage('required')).toBe('必填');
    expect(zhMessage('no tag named 重点')).toBe('没有名为“重点”的标签');
    expect(zhMessage('operator gt does not apply to name')).toBe('运算符 gt 不适用于 name');
    expect(zhMessage('Acme was merged into another customer and cannot be restored')).toBe('“Acme”已合并到另一个客户，不能恢复');
    expect(zhMessage('2 field(s) are invalid')).toBe('2 个字段有误');
    expect(zhMessage('Something nobody wrote down')).toBe('Something nobody wrote down');
    expect(localizeMessage('required', 'en')).toBe('required');
    expect(localizeMessage('required', 'zh-CN')).toBe('必填');
  });
});
