import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app';

interface Problem {
  code: string;
  title: string;
  errors: { path: string; message: string }[];
}

describe('validation messages follow the caller language', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function badLogin(language: string): Promise<Problem> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'accept-language': language, 'content-type': 'application/json' },
      payload: { email: 42, password: 'x', extra: true },
    });
    expect(res.statusCode).toBe(400);
    return res.json<Problem>();
  }

  it('answers zod issues in Chinese for zh-CN and in English otherwise, same paths', async () => {
    const zh = await badLogin('zh-CN,zh;q=0.9');
    const en = await badLogin('en-US');
    expect(zh.code).toBe('validation_failed');
    expect(zh.title).toBe('请求参数无效');
    expect(zh.errors.map((e) => e.path).sort()).toEqual(en.errors.map((e) => e.path).sort());
    expect(zh.errors.length).toBeGreaterThan(0);
    for (const error of zh.errors) {
      expect(error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    for (const error of en.errors) {
      expect(error.message).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
