// The baseline of the rest-throughput benchmark, run as its own process as the emulator is: a bare node:http server
// answering every request with the bytes and content type given (argv: body file, content type).
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const [file, contentType] = process.argv.slice(2);
if (!file || !contentType) {
  console.error("usage: bare-server.ts <body file> <content type>");
  process.exit(2);
}
const body = readFileSync(file);
const headers = { "content-type": contentType, "content-length": String(body.length) };
const server = createServer({ keepAliveTimeout: 65_000 }, (_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.listen(0, "127.0.0.1", () => {
  console.log(`listening on ${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
