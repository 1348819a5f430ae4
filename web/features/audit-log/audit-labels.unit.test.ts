import { describe, expect, it } from "vitest";
import { auditActionGroups, auditActions, auditTargetTypes } from "../../../common/audit-actions";
import en from "../../locales/en.json";
import zh from "../../locales/zh-CN.json";

type Tree = { [key: string]: string | Tree };

function label(tree: Tree, path: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of path.split(".")) {
    node = typeof node === "object" ? node[part] : undefined;
  }
  return typeof node === "string" ? node : undefined;
}

describe("audit log labels", () => {
  for (const [name, locale] of [["zh-CN", zh as unknown as Tree], ["en", en as unknown as Tree]] as const) {
    it(`names every action, target type and group the server records in ${name}`, () => {
      const missing = [
        ...auditActions.filter((action) => !label(locale, `audit.${action}`)),
        ...auditTargetTypes.filter((type) => !label(locale, `auditLog.targetTypes.${type}`)).map((type) => `target ${type}`),
        ...Object.keys(auditActionGroups).filter((group) => !label(locale, `auditLog.groups.${group}`)).map((group) => `group ${group}`),
      ];
      expect(missing).toEqual([]);
    });
  }

  it("lists each action once, each in the shape the audit log's filter accepts", () => {
    expect(new Set(auditActions).size).toBe(auditActions.length);
    expect(auditActions.filter((action) => !/^[a-z_]+\.[a-z_]+$/.test(action))).toEqual([]);
  });
});
