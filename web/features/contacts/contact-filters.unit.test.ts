import { describe, expect, it } from "vitest";
import { EMPTY_CONTACT_FILTERS, toContactListFilters } from "./contact-filters";

describe("toContactListFilters", () => {
  it("sends only what is set, in the list grammar", () => {
    expect(toContactListFilters(EMPTY_CONTACT_FILTERS)).toEqual({});
    expect(
      toContactListFilters({
        q: "  王 ",
        ownerIds: ["u1", "u2"],
        primaryOnly: true,
        decisionMakersOnly: true,
        conditions: [
          { id: "a", field: "title", op: "contains", value: " 经理 " },
          { id: "b", field: "email", op: "notEmpty", value: "" },
          { id: "c", field: "department", op: "eq", value: "" },
        ],
      }),
    ).toEqual({ q: "王", "ownerId[in]": ["u1", "u2"], isPrimary: "true", isDecisionMaker: "true", "title[contains]": "经理", "email[empty]": "false" });
  });
});
