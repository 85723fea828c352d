import { parseRetryAfter } from '../../../daemon/src/webhooks/retry-after.js';

describe('Retry-After parsing', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  test('seconds become milliseconds', () => {
    expect(parseRetryAfter('3', now, 60_000)).toBe(3000);
  });

  test('HTTP date becomes the delay until it', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now, 60_000)).toBe(10_000);
  });

  test('past date means no delay', () => {
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now, 60_000)).toBe(0);
  });

  test('large values are capped', () => {
    expect(parseRetryAfter('86400', now, 60_000)).toBe(60_000);
  });

  test.each([undefined, '', 'soon', '-5', '1.5'])('unreadable %p is ignored', (value) => {
    expect(parseRetryAfter(value, now, 60_000)).toBeUndefined();
  });

  test('first of repeated headers wins', () => {
    expect(parseRetryAfter(['2', '9'], now, 60_000)).toBe(2000);
  });
});
