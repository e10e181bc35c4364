/**
 * What e2e/global-setup.ts exported for this run: the console, the emulator and its two passwords. Read lazily
 * (the variables exist only once the global setup ran), failing with a clear message when a spec runs without it.
 */
export interface E2eEnv {
  baseUrl: string;
  emulatorUrl: string;
  tenant: string;
  adminPassword: string;
  bootstrapPassword: string;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run the specs through \`npx playwright test\` (global setup).`);
  return value;
}

export function e2eEnv(): E2eEnv {
  return {
    baseUrl: required("E2E_BASE_URL"),
    emulatorUrl: required("E2E_EMULATOR_URL"),
    tenant: required("E2E_TENANT"),
    adminPassword: required("E2E_ADMIN_PASSWORD"),
    bootstrapPassword: required("E2E_BOOTSTRAP_PASSWORD"),
  };
}

/** A suffix unique to this run, so data seeded into the shared emulator never collides between specs or runs. */
export function runSuffix(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}
