import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bearerToken, loadOrCreateToken, tokensMatch } from '../../../daemon/src/security/token.js';

describe('pairing token', () => {
  test('first use creates an owner-only token file', () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'godot-bridge-token-')), 'state');
    const first = loadOrCreateToken(dir);
    expect(first.created).toBe(true);
    expect(first.token.length).toBeGreaterThanOrEqual(32);
    expect(statSync(path.join(dir, 'token')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dir, 'token'), 'utf8').trim()).toBe(first.token);
  });

  test('second use reads the same token', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'godot-bridge-token-'));
    const first = loadOrCreateToken(dir);
    const second = loadOrCreateToken(dir);
    expect(second.created).toBe(false);
    expect(second.token).toBe(first.token);
  });

  test('tokens match only when equal', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
    expect(tokensMatch('abd', 'abc')).toBe(false);
    expect(tokensMatch('abcd', 'abc')).toBe(false);
    expect(tokensMatch(undefined, 'abc')).toBe(false);
  });

  test('bearer header parsing', () => {
    expect(bearerToken('Bearer xyz')).toBe('xyz');
    expect(bearerToken('bearer xyz ')).toBe('xyz');
    expect(bearerToken('Basic xyz')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
