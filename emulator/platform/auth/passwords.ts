import { randomBytes, scrypt, timingSafeEqual, type BinaryLike, type ScryptOptions } from "node:crypto";

const KEYLEN = 32;
/**
 * Interactive: human-chosen passwords, where a slow hash is what protects a weak secret.
 * Generated: passwords the platform makes (144 random bits): no cost factor changes what guessing them takes, so a
 * lighter scrypt keeps accepting a thousand devices from costing a minute of CPU.
 */
const COST = { interactive: { N: 16384, r: 8, p: 1 }, generated: { N: 1024, r: 8, p: 1 } } as const;
export type HashCost = keyof typeof COST;

function scryptAsync(
  password: BinaryLike,
  salt: BinaryLike,
  keylen: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** "scrypt$N$r$p$salt$hash", all base64url: self-describing so parameters can change later. */
export async function hashPassword(password: string, cost: HashCost = "interactive"): Promise<string> {
  const params = COST[cost];
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEYLEN, params);
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64url"), key.toString("base64url")].join(
    "$",
  );
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split("$");
  if (alg !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await scryptAsync(password, Buffer.from(salt, "base64url"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A password the platform generates (device credentials, first-start passwords): 24 url-safe chars. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
