// Password hashing for the credentials login and the seeded admin. bcrypt (pure JS: no native build on a
// fresh machine) at cost 12, about 0.2-0.3 s per hash here: slow for an attacker, fine for a login.
import { compare, hash } from "bcryptjs";

export const BCRYPT_COST = 12;

export async function hashPassword(pw: string): Promise<string> {
  return hash(pw, BCRYPT_COST);
}

/** False (never throws) for a malformed or empty stored hash, so a user without a password cannot log in. */
export async function verifyPassword(pw: string, storedHash: string): Promise<boolean> {
  if (!storedHash) return false;
  try {
    return await compare(pw, storedHash);
  } catch {
    return false;
  }
}
