import { describe, expect, it } from "vitest";
import { matchHeading } from "./region-words";

describe("matchHeading", () => {
  it("takes the one heading that holds the name as whole words, before any stem", () => {
    expect(matchHeading("Shipping", ["Billing details", "Shipping address"])).toEqual({ heading: "Shipping address" });
    expect(matchHeading("Shipping", ["1. Billing", "2. Shipping details"])).toEqual({ heading: "2. Shipping details" });
    expect(matchHeading("shipping address", ["Billing address", "Your shipping address"])).toEqual({ heading: "Your shipping address" });
    // "Shipment tracking" shares the stem, but a whole-word match exists: the stem is never looked at.
    expect(matchHeading("Shipping", ["Shipping address", "Shipment tracking"])).toEqual({ heading: "Shipping address" });
  });

  it("falls back to stems only when no heading holds the words", () => {
    expect(matchHeading("Shipping", ["Billing details", "Ship to a different address?"])).toEqual({ heading: "Ship to a different address?" });
    expect(matchHeading("Shipping address", ["Billing address", "Ship to a different address?"])).toEqual({ heading: "Ship to a different address?" });
  });

  it("is ambiguous when several headings qualify at the first level that has any", () => {
    expect(matchHeading("Shipping", ["Shipping address", "Shipping method"])).toEqual({ ambiguous: ["Shipping address", "Shipping method"] });
    expect(matchHeading("Shipping", ["Ship to a different address?", "Shipped orders"])).toEqual({ ambiguous: ["Ship to a different address?", "Shipped orders"] });
    // Porter keeps "Shipment" whole: a shipment is not shipping.
    expect(matchHeading("Shipping", ["Ship to a different address?", "Shipment tracking"])).toEqual({ heading: "Ship to a different address?" });
  });

  it("never matches a part of a word or a different word", () => {
    expect(matchHeading("Ship", ["Membership", "Relationships"])).toBeNull();
    expect(matchHeading("Shipping", ["Billing details", "Payment"])).toBeNull();
    expect(matchHeading("Bill", ["Billboard"])).toBeNull();
  });
});
