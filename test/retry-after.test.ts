import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../src/http/retry-after.js';

describe('Retry-After, as the REST connectors and the webhook sender read it', () => {
  const now = Date.parse('2026-12-06T12:00:00Z');
  it('reads delay-seconds, a fraction as given, and an HTTP date, never below zero', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(' 1.5 ', now)).toBe(1_500);
    expect(retryAfterMs('Sun, 06 Dec 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Sun, 06 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('-5', now)).toBe(0);
  });
  it('is undefined when absent or unreadable', () => {
    for (const header of [null, undefined, '', '  ', 'soon']) expect(retryAfterMs(header, now)).toBeUndefined();
  });
});
