import { describe, expect, it } from "vitest";
import {
  fragmentValueProblem,
  isFragmentKey,
  isPlatformFragment,
  newFragmentNameProblem,
  writableKeyProblem,
} from "../known";

describe("which keys are fragments and which may be written", () => {
  it("separates base fields and reference collections from fragments", () => {
    for (const key of ["id", "self", "name", "type", "owner", "lastUpdated", "childDevices", "assetParents"])
      expect(isFragmentKey(key)).toBe(false);
    for (const key of ["c8y_Hardware", "c8y_Availability", "acme_Thing"])
      expect(isFragmentKey(key)).toBe(true);
    expect(isPlatformFragment("c8y_Availability")).toBe(true);
  });

  it("allows name, type and ordinary fragments; refuses read-only, platform and malformed keys", () => {
    expect(writableKeyProblem("name")).toBeNull();
    expect(writableKeyProblem("c8y_Hardware")).toBeNull();
    expect(writableKeyProblem("odd key (agent-made)")).toBeNull();
    expect(writableKeyProblem("owner")).toMatch(/owner/);
    expect(writableKeyProblem("creationTime")).toMatch(/maintained by the platform/);
    expect(writableKeyProblem("c8y_Connection")).toMatch(/computed/);
    expect(writableKeyProblem("a.b")).toMatch(/“\.”/);
    expect(writableKeyProblem("$where")).toMatch(/\$/);
    expect(writableKeyProblem("")).toMatch(/needs a name/);
  });

  it("is stricter for new fragment names", () => {
    expect(newFragmentNameProblem("acme_Location", [])).toBeNull();
    expect(newFragmentNameProblem("acme_Location", ["acme_Location"])).toMatch(/already has/);
    expect(newFragmentNameProblem("1abc", [])).toMatch(/starting with a letter/);
    expect(newFragmentNameProblem("has space", [])).toMatch(/letters, digits/);
    expect(newFragmentNameProblem("name", [])).toMatch(/field of the device/);
  });
});

describe("fragmentValueProblem", () => {
  it("accepts the startup phase's shapes and extra keys", () => {
    expect(
      fragmentValueProblem("c8y_Hardware", { model: "RaspPi", revision: "000e", serialNumber: "1", x: 1 }),
    ).toBeNull();
    expect(fragmentValueProblem("c8y_Software", { "pi-driver": "pi-driver-3.4.5.jar" })).toBeNull();
    expect(fragmentValueProblem("c8y_SoftwareList", [{ name: "a", version: "1", url: "" }])).toBeNull();
    expect(fragmentValueProblem("c8y_SupportedOperations", ["c8y_Restart"])).toBeNull();
    expect(fragmentValueProblem("c8y_Configuration", { config: "a=b\n" })).toBeNull();
  });

  it("takes anything for unknown fragments and for removal", () => {
    expect(fragmentValueProblem("acme_Anything", 42)).toBeNull();
    expect(fragmentValueProblem("c8y_Hardware", null)).toBeNull();
  });

  it("names the path and the expected type of a wrong value", () => {
    expect(fragmentValueProblem("c8y_Hardware", { model: 4 })).toEqual({
      path: "model",
      message: "model must be text",
    });
    expect(fragmentValueProblem("c8y_SupportedOperations", "c8y_Restart")).toEqual({
      path: "",
      message: "Must be a list",
    });
    expect(fragmentValueProblem("c8y_SoftwareList", [{ name: "a" }])).toEqual({
      path: "[0].version",
      message: "[0].version is missing (text)",
    });
    expect(fragmentValueProblem("c8y_SoftwareList", [{ name: "", version: "1" }])?.message).toBe(
      "Every package needs a name",
    );
  });
});
