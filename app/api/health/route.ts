// GET /api/health – the console server is up: 204, no session, no platform call, nothing read or written.
// Also the framework's floor in bench/bff-overhead.ts: the cost of a route handler that does nothing.
export function GET(): Response {
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
}
