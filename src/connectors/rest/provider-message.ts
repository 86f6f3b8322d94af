/**
 * The provider's own words from an error body (PayPal's `name`/`message`, Stripe's `error.message`, Square's
 * `errors[0].detail`, OAuth's `error_description`), short, so a run's error says what the provider said.
 * Error bodies carry no credentials, so nothing secret is echoed.
 */
export function providerMessage(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 300);
  if (typeof body !== 'object' || body === null) return '';
  const b = body as Record<string, unknown>;
  const nested = (b.error ?? (Array.isArray(b.errors) ? b.errors[0] : undefined)) as Record<string, unknown> | string | undefined;
  const parts = [b.name, b.message, typeof nested === 'string' ? nested : nested?.message ?? nested?.detail ?? nested?.code, b.error_description];
  return parts.filter((p): p is string => typeof p === 'string').join(': ').slice(0, 300);
}
