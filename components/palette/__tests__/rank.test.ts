import { describe, expect, it } from "vitest";
import type { PaletteSearchResultDto } from "@/lib/schemas/search";
import type { PaletteAction } from "../palette-context";
import { SECTION_DEVICES, SECTION_PAGES, SECTION_RECENT, paletteSections } from "../palette-items";
import { matchScore, rankSections } from "../rank";
import type { RecentItem } from "../recent";

describe("matchScore", () => {
  it("ranks the whole text over its start, a word start, anywhere, and letters in order", () => {
    const scores = [
      matchScore("Devices", "devices"),
      matchScore("Devices", "dev"),
      matchScore("Send restart to Pump", "restart"),
      matchScore("Prestart", "restart"),
      matchScore("Registrations", "regs"),
    ];
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(new Set(scores).size).toBe(5);
    expect(scores.every((s) => s > 0)).toBe(true);
  });

  it("is case-insensitive and finds nothing for unrelated or empty text", () => {
    expect(matchScore("Operations", "OPERATIONS")).toBe(matchScore("operations", "operations"));
    expect(matchScore("Operations", "xyz")).toBe(0);
    expect(matchScore("Operations", "  ")).toBe(0);
  });
});

describe("rankSections", () => {
  it("puts the section with the best item first, breaks ties by the given order, drops non-matches", () => {
    const out = rankSections(
      [
        { section: "B", score: 50, n: 1 },
        { section: "A", score: 50, n: 2 },
        { section: "B", score: 70, n: 3 },
        { section: "C", score: 0, n: 4 },
      ],
      ["A", "B", "C"],
    );
    expect(out.map((s) => [s.section, s.items.map((i) => i.n)])).toEqual([
      ["B", [3, 1]],
      ["A", [2]],
    ]);
    const tie = rankSections(
      [
        { section: "B", score: 50, n: 1 },
        { section: "A", score: 50, n: 2 },
      ],
      ["A", "B"],
    );
    expect(tie.map((s) => s.section)).toEqual(["A", "B"]);
  });
});

const restart: PaletteAction = {
  id: "device.send-restart",
  label: "Send restart to Pump 7",
  section: "This device",
  keywords: ["restart", "c8y_Restart", "reboot"],
  run: () => {},
};
const tabAction: PaletteAction = {
  id: "device.tab-identity",
  label: "Open the Identity tab",
  section: "This device",
  keywords: ["identity"],
  run: () => {},
};
const pages = [
  { href: "/registrations", label: "Registrations" },
  { href: "/devices", label: "Devices" },
  { href: "/operations", label: "Operations" },
];
const recent: RecentItem[] = [{ kind: "device", id: "42", label: "Pump 7", href: "/devices/42" }];
const done = (result: PaletteSearchResultDto, q: string) => ({ status: "done" as const, q, result });
const labels = (sections: ReturnType<typeof paletteSections>) =>
  sections.map((s) => [s.section, s.items.map((i) => i.label)]);

describe("paletteSections", () => {
  it("with nothing typed: recent items, then the page's actions, then the pages", () => {
    const out = paletteSections({ query: "", actions: [restart], pages, recent, search: { status: "idle" } });
    expect(out.map((s) => s.section)).toEqual([SECTION_RECENT, "This device", SECTION_PAGES]);
  });

  it("an external id found by the platform comes first, whatever else matches a little", () => {
    const q = "reg-0007";
    const out = paletteSections({
      query: q,
      actions: [restart],
      pages,
      recent: [],
      search: done(
        {
          items: [
            {
              id: "7",
              name: "Yard gateway",
              kind: "agent",
              match: "externalId",
              externalId: { type: "c8y_Serial", value: q },
            },
          ],
          more: false,
        },
        q,
      ),
    });
    expect(out[0]).toMatchObject({ section: SECTION_DEVICES });
    expect(out[0]!.items[0]).toMatchObject({
      label: "Yard gateway",
      href: "/devices/7",
      detail: `Agent · c8y_Serial ${q}`,
    });
  });

  it("'restart' on a device page offers sending it first, before devices that merely have it in the name", () => {
    const out = paletteSections({
      query: "restart",
      actions: [tabAction, restart],
      pages,
      recent,
      search: done(
        { items: [{ id: "9", name: "Restart tester", kind: "device", match: "name" }], more: false },
        "restart",
      ),
    });
    expect(out[0]!.items[0]!.label).toBe("Send restart to Pump 7");
    expect(labels(out)).toEqual([
      ["This device", ["Send restart to Pump 7"]],
      [SECTION_DEVICES, ["Restart tester"]],
    ]);
  });

  it("shows a device once: as a recent item when it is one", () => {
    const out = paletteSections({
      query: "pump",
      actions: [],
      pages,
      recent,
      search: done(
        {
          items: [
            { id: "42", name: "Pump 7", kind: "device", match: "name" },
            { id: "43", name: "Pump 8", kind: "device", match: "name" },
          ],
          more: false,
        },
        "pump",
      ),
    });
    expect(labels(out)).toEqual([
      [SECTION_RECENT, ["Pump 7"]],
      [SECTION_DEVICES, ["Pump 8"]],
    ]);
  });

  it("keeps the last answer on screen while the next one is on its way", () => {
    const out = paletteSections({
      query: "pump 8",
      actions: [],
      pages,
      recent: [],
      search: {
        status: "loading",
        q: "pump 8",
        previous: { items: [{ id: "43", name: "Pump 8", kind: "device", match: "name" }], more: false },
      },
    });
    expect(labels(out)).toEqual([[SECTION_DEVICES, ["Pump 8"]]]);
  });
});
