import { type Bench, pool, startEmulatorProcess } from "./lib.js";

const DEVICES = 1000;
const CONCURRENCY = 20;
const vendor = (t: string) => `application/vnd.com.nsn.cumulocity.${t}+json`;

/** The REST part of the startup phase (docs/startup-phase.md steps 0–3 and the step 6 queries) for 1,000 devices. */
export const startupPhaseBench: Bench = {
  name: "startup-phase",
  title: "Emulator: REST startup phase for 1,000 devices",
  async run() {
    const emu = await startEmulatorProcess();
    try {
      const ids = Array.from({ length: DEVICES }, (_, i) => `bench-${String(i).padStart(5, "0")}`);
      const admin = { authorization: emu.adminAuth, "content-type": "application/json" };
      const boot = { authorization: emu.bootstrapAuth, "content-type": vendor("deviceCredentials") };
      const t0 = performance.now();
      await pool(ids, CONCURRENCY, async (id) => {
        const reg = await fetch(`${emu.url}/devicecontrol/newDeviceRequests`, {
          method: "POST",
          headers: admin,
          body: JSON.stringify({ id }),
        });
        if (reg.status !== 201) throw new Error(`register ${id}: ${reg.status}`);
        const knock = await fetch(`${emu.url}/devicecontrol/deviceCredentials`, {
          method: "POST",
          headers: boot,
          body: JSON.stringify({ id }),
        });
        if (knock.status !== 404) throw new Error(`first poll ${id}: ${knock.status}`);
        const accept = await fetch(`${emu.url}/devicecontrol/newDeviceRequests/${encodeURIComponent(id)}`, {
          method: "PUT",
          headers: admin,
          body: JSON.stringify({ status: "ACCEPTED" }),
        });
        if (accept.status !== 200) throw new Error(`accept ${id}: ${accept.status}`);
        const credsRes = await fetch(`${emu.url}/devicecontrol/deviceCredentials`, {
          method: "POST",
          headers: boot,
          body: JSON.stringify({ id }),
        });
        const creds = (await credsRes.json()) as { tenantId: string; username: string; password: string };
        const auth = `Basic ${Buffer.from(`${creds.tenantId}/${creds.username}:${creds.password}`).toString("base64")}`;
        const dev = {
          authorization: auth,
          "content-type": vendor("managedObject"),
          accept: vendor("managedObject"),
        };
        const lookup = await fetch(`${emu.url}/identity/externalIds/c8y_Serial/${id}`, {
          headers: { authorization: auth },
        });
        if (lookup.status !== 404) throw new Error(`lookup ${id}: ${lookup.status}`);
        const mo = await fetch(`${emu.url}/inventory/managedObjects`, {
          method: "POST",
          headers: dev,
          body: JSON.stringify({
            name: `Bench ${id}`,
            type: "c8y_Linux",
            c8y_IsDevice: {},
            com_cumulocity_model_Agent: {},
          }),
        });
        const { id: moId } = (await mo.json()) as { id: string };
        const bind = await fetch(`${emu.url}/identity/globalIds/${moId}/externalIds`, {
          method: "POST",
          headers: { authorization: auth, "content-type": vendor("externalId") },
          body: JSON.stringify({ type: "c8y_Serial", externalId: id }),
        });
        if (bind.status !== 201) throw new Error(`bind ${id}: ${bind.status}`);
        for (const status of ["EXECUTING", "PENDING"]) {
          const ops = await fetch(`${emu.url}/devicecontrol/operations?agentId=${moId}&status=${status}`, {
            headers: { authorization: auth },
          });
          if (ops.status !== 200) throw new Error(`operations ${id}: ${ops.status}`);
        }
      });
      const seconds = (performance.now() - t0) / 1000;
      return {
        lines: [
          `${DEVICES} devices through register → knock → accept → credentials → identity lookup → create → bind → ` +
            `operation queries, ${CONCURRENCY} devices in flight: ${seconds.toFixed(1)} s = ${(DEVICES / seconds).toFixed(0)} devices/s ` +
            `(11 requests per device, ${((DEVICES * 11) / seconds).toFixed(0)} requests/s).`,
        ],
      };
    } finally {
      await emu.stop();
    }
  },
};
