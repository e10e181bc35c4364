import { describe, expect, it } from "vitest";
import { stepTab } from "@/components/device-page/use-device-tab";
import { supportedKinds } from "../device-palette-actions";

describe("the device page's palette actions", () => {
  it("offers the operations the device lists in c8y_SupportedOperations, in the console's order", () => {
    expect(supportedKinds({ c8y_SupportedOperations: ["c8y_Command", "c8y_Restart", "acme_Other"] })).toEqual(
      ["restart", "shell"],
    );
    expect(supportedKinds({ c8y_SupportedOperations: ["c8y_SoftwareList"] })).toEqual(["software"]);
    expect(supportedKinds({ c8y_SupportedOperations: "c8y_Restart" })).toEqual([]);
    expect(supportedKinds({})).toEqual([]);
  });

  it("steps through the tabs with ] and [, wrapping round", () => {
    expect(stepTab("overview", 1)).toBe("fragments");
    expect(stepTab("overview", -1)).toBe("operations");
    expect(stepTab("operations", 1)).toBe("overview");
  });
});
