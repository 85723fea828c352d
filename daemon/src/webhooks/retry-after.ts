/**
 * Parses a `Retry-After` header (delay in seconds or an HTTP date, RFC 9110
 * section 10.2.3) into a delay in milliseconds from `now`, capped at `maxMs`.
 * Returns undefined for a missing or unreadable value.
 */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: number,
  maxMs: number,
): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  let delayMs: number;
  if (/^\d+$/.test(text)) {
    delayMs = Number(text) * 1000;
  } else {
    // HTTP dates always name a month, but Date.parse alone would also read "-5" as a year.
    const date = /[A-Za-z]{3}/.test(text) ? Date.parse(text) : NaN;
    if (Number.isNaN(date)) return undefined;
    delayMs = Math.max(0, date - now);
  }
  return Math.min(delayMs, maxMs);
}
