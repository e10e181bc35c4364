import autocannon from "autocannon";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { type Bench, startEmulatorProcess } from "./lib.js";

const CONNECTIONS = 50;
const DURATION_S = 8;

async function load(url: string, headers: Record<string, string>) {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

/** GET of one managed object under 50 connections, against a bare node:http server sending the same bytes. */
export const restThroughputBench: Bench = {
  name: "rest-throughput",
  title: "Emulator: GET one managed object under 50 connections vs bare node:http",
  async run() {
    const emu = await startEmulatorProcess();
    try {
      const created = await fetch(`${emu.url}/inventory/managedObjects`, {
        method: "POST",
        headers: {
          authorization: emu.adminAuth,
          "content-type": "application/json",
          accept: "application/json",
        },
        body: JSON.stringify({
          name: "Bench device",
          type: "c8y_Linux",
          c8y_IsDevice: {},
          c8y_Hardware: { model: "RaspPi BCM2708", serialNumber: "0000000017b769d5", revision: "000e" },
        }),
      });
      const { id } = (await created.json()) as { id: string };
      const url = `${emu.url}/inventory/managedObjects/${id}`;
      const headers = {
        authorization: emu.adminAuth,
        accept: "application/vnd.com.nsn.cumulocity.managedObject+json",
      };
      const sample = await fetch(url, { headers });
      const bytes = Buffer.from(await sample.arrayBuffer());
      const sampleHeaders: IncomingHttpHeaders = { "content-type": sample.headers.get("content-type") ?? "" };

      // The baseline: the same bytes from a bare node:http server in its own process would be fairer still, but
      // the load generator runs here either way; both servers get identical treatment below.
      const bare = createServer((_req, res) => {
        res.writeHead(200, { ...sampleHeaders, "content-length": String(bytes.length) });
        res.end(bytes);
      });
      await new Promise<void>((r) => bare.listen(0, "127.0.0.1", r));
      const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/inventory/managedObjects/${id}`;

      const baseline = await load(bareUrl, headers);
      bare.close();
      const emulator = await load(url, headers);
      const ratio = emulator.rps / baseline.rps;
      return {
        lines: [
          `| server | requests/s | p50 | p99 | errors |`,
          `| --- | --- | --- | --- | --- |`,
          `| bare node:http (baseline, same bytes) | ${baseline.rps.toFixed(0)} | ${baseline.p50} ms | ${baseline.p99} ms | ${baseline.errors} |`,
          `| emulator (Basic auth, SQLite read) | ${emulator.rps.toFixed(0)} | ${emulator.p50} ms | ${emulator.p99} ms | ${emulator.errors} |`,
          "",
          `Emulator throughput is ${(ratio * 100).toFixed(0)} % of the bare server (goal: at least 50 %). ` +
            `${CONNECTIONS} connections, ${DURATION_S} s each, autocannon in the bench process; the emulator runs as its own process.`,
        ],
      };
    } finally {
      await emu.stop();
    }
  },
};
