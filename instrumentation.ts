/**
 * Runs once when the console's server starts: a misconfigured deployment (no session password in production,
 * no or a malformed platform URL) stops here with the plain message, instead of failing on every request.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const env = await import("./lib/server/env");
  try {
    env.platformBaseUrl();
    env.consoleOrigin();
    env.upstreamTimeoutMs();
    env.sessionPassword();
  } catch (err) {
    if (!(err instanceof env.ConfigError)) throw err;
    console.error(`c8y console: configuration error: ${err.message}`);
    process.exit(1);
  }
}
