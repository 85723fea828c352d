import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';

/** File name of the pairing token inside the state folder. */
export const tokenFileName = 'token';

/**
 * Reads the pairing token from the state folder, creating a random one with
 * owner-only permissions on first use.
 */
export function loadOrCreateToken(stateDir: string): { token: string; created: boolean } {
  const file = path.join(stateDir, tokenFileName);
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 16) return { token, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, created: true };
}

/**
 * Compares a presented token with the expected one in constant time. Both are
 * hashed first so that their lengths do not leak through timing either.
 */
export function tokensMatch(presented: string | undefined, expected: string): boolean {
  return new TokenMatcher(expected).matches(presented);
}

/** Holds the expected token's hash so each comparison hashes only the presented one. */
export class TokenMatcher {
  private readonly expectedHash: Buffer;

  constructor(expected: string) {
    this.expectedHash = createHash('sha256').update(expected).digest();
  }

  matches(presented: string | undefined): boolean {
    if (presented === undefined) return false;
    return timingSafeEqual(createHash('sha256').update(presented).digest(), this.expectedHash);
  }
}

/** Extracts the token of an `Authorization: Bearer` header. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
