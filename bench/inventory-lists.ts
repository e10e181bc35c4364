import { type Bench, ms, pool, startEmulatorProcess, summarise } from "./lib.js";

const DEVICES = 100_000;
const BATCH = 50; // the platform's bulk-create maximum
const SAMPLES = 200;

const models = [
  "RaspPi BCM2708",
  "Tinkerforge Master",
  "Siemens IOT2050",
  "Moxa UC-8100",
  "Advantech UNO-2271G",
];
const types = ["c8y_Linux", "c8y_Gateway", "acme_Sensor", "acme_Pump"];

function device(i: number) {
  return {
    name: `Device ${String(i).padStart(6, "0")} ${models[i % models.length]}`,
    type: types[i % types.length],
    c8y_IsDevice: {},
    ...(i % 10 === 0 ? { com_cumulocity_model_Agent: {} } : {}),
    c8y_Hardware: { model: models[i % models.length], serialNumber: `SN-${i}`, revision: "A" },
    ...(i % 3 === 0 ? { c8y_Mobile: { imei: `35${String(i).padStart(13, "0")}` } } : {}),
  };
}

/** A seeded inventory of 100,000 devices: bulk seeding rate, then filtered list pages p50/p99. */
export const inventoryListsBench: Bench = {
  name: "inventory-lists",
  title: "Emulator: 100,000-device inventory, seeding rate and filtered list pages",
  async run() {
    const emu = await startEmulatorProcess();
    try {
      const headers = {
        authorization: emu.adminAuth,
        "content-type": "application/vnd.com.nsn.cumulocity.managedObjectCollection+json",
      };
      const batches = Array.from({ length: DEVICES / BATCH }, (_, b) => b);
      const t0 = performance.now();
      await pool(batches, 4, async (b) => {
        const managedObjects = Array.from({ length: BATCH }, (_, k) => device(b * BATCH + k));
        const res = await fetch(`${emu.url}/inventory/managedObjects`, {
          method: "POST",
          headers,
          body: JSON.stringify({ managedObjects }),
        });
        if (res.status !== 201) throw new Error(`bulk create answered ${res.status}: ${await res.text()}`);
      });
      const seedSeconds = (performance.now() - t0) / 1000;

      const queries: [string, string][] = [
        ["baseline: unfiltered page", "pageSize=50"],
        ["fragmentType=c8y_Mobile", "fragmentType=c8y_Mobile&pageSize=50&currentPage=200"],
        ["type=acme_Pump", "type=acme_Pump&pageSize=50&currentPage=100"],
        [
          "query with a wildcard",
          `query=${encodeURIComponent("$filter=(name eq 'Device 04*')")}&pageSize=50`,
        ],
        ["text", "text=SN-77777&pageSize=50"],
        [
          "q with has() and orderby",
          `q=${encodeURIComponent("$filter=has(com_cumulocity_model_Agent) $orderby=name desc")}&pageSize=50`,
        ],
      ];
      const rows: string[] = [];
      for (const [label, query] of queries) {
        const samples: number[] = [];
        for (let i = 0; i < SAMPLES; i++) {
          const t = performance.now();
          const res = await fetch(`${emu.url}/inventory/managedObjects?${query}`, {
            headers: { authorization: emu.adminAuth },
          });
          const body = (await res.json()) as { managedObjects?: unknown[] };
          samples.push(performance.now() - t);
          if (res.status !== 200 || !body.managedObjects) throw new Error(`${label}: status ${res.status}`);
        }
        const s = summarise(samples);
        rows.push(`| ${label} | ${ms(s.p50)} | ${ms(s.p99)} |`);
      }
      return {
        lines: [
          `Seeding: ${DEVICES.toLocaleString("en")} devices by bulk create (${BATCH} per request, 4 in flight) in ` +
            `${seedSeconds.toFixed(1)} s = ${(DEVICES / seedSeconds).toFixed(0)} devices/s.`,
          "",
          `| list page (${SAMPLES} sequential requests each) | p50 | p99 |`,
          "| --- | --- | --- |",
          ...rows,
          "",
          "Goal: filtered pages p99 at most 50 ms. The unfiltered page is the baseline of the same run.",
        ],
      };
    } finally {
      await emu.stop();
    }
  },
};
