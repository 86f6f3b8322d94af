import type { StandInRequest, StandInResponse } from '../../standin-server.js';
import type { SquareAccount } from '../account.js';

export interface RouteContext {
  account: SquareAccount;
}

export type RouteHandler = (request: StandInRequest, context: RouteContext, pathParams: readonly string[]) => StandInResponse;

/**
 * A 200 body in Square's style: empty lists are left out (an empty page is `{}`), and `cursor` appears only
 * when there is another page.
 */
export function okBody(fields: Record<string, unknown>): StandInResponse {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    body[key] = value;
  }
  return { status: 200, body };
}

/** Square's "now minus one year", the default start of the payments and refunds windows. */
export function oneYearBefore(ms: number): number {
  const date = new Date(ms);
  date.setUTCFullYear(date.getUTCFullYear() - 1);
  return date.getTime();
}
