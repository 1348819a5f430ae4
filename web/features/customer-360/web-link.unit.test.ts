import { describe, expect, it } from "vitest";
import { webHref } from "./web-link";

describe("webHref", () => {
  it("links http(s) addresses, adds https to a bare domain, and links nothing else", () => {
    expect(webHref("https://acme.com/about")).toBe("https://acme.com/about");
    expect(webHref("HTTP://Acme.com")).toBe("HTTP://Acme.com");
    expect(webHref(" www.haoke.cn ")).toBe("https://www.haoke.cn");
    expect(webHref("javascript:alert(1)")).toBeNull();
    expect(webHref("not a site")).toBeNull();
    expect(webHref(null)).toBeNull();
  });
});
