import { toMinor } from './wire-format.js';

/**
 * Balance snapshots per currency over time: `GET /v1/reporting/balances?as_of_time=T` answers, per currency,
 * the latest snapshot at or before T.
 */

export interface BalanceInput {
  currency: string;
  /** Major units, e.g. "1234.56". */
  total: string | number;
  available?: string | number;
  withheld?: string | number;
  primary?: boolean;
}

export interface BalanceSnapshot {
  asOf: number;
  currency: string;
  primary: boolean;
  totalMinor: number;
  availableMinor: number;
  withheldMinor: number;
}

export class BalanceHistory {
  private readonly snapshots: BalanceSnapshot[] = [];

  set(balances: readonly BalanceInput[], asOf: number): BalanceSnapshot[] {
    const added = balances.map((b) => {
      if (!/^[A-Z]{3}$/.test(b.currency)) throw new Error(`currency must be a 3-letter ISO code: ${b.currency}`);
      const totalMinor = toMinor(b.total, b.currency);
      const withheldMinor = b.withheld === undefined ? 0 : toMinor(b.withheld, b.currency);
      return {
        asOf,
        currency: b.currency,
        primary: b.primary ?? false,
        totalMinor,
        withheldMinor,
        availableMinor: b.available === undefined ? totalMinor - withheldMinor : toMinor(b.available, b.currency),
      };
    });
    this.snapshots.push(...added);
    this.snapshots.sort((a, b) => a.asOf - b.asOf);
    return added;
  }

  /** The latest snapshot per currency at or before `asOf`, primary currency first, then by code. */
  at(asOf: number, currency?: string): BalanceSnapshot[] {
    const latest = new Map<string, BalanceSnapshot>();
    for (const snapshot of this.snapshots) {
      if (snapshot.asOf > asOf) break;
      if (currency === undefined || snapshot.currency === currency) latest.set(snapshot.currency, snapshot);
    }
    return [...latest.values()].sort((a, b) => Number(b.primary) - Number(a.primary) || a.currency.localeCompare(b.currency));
  }

  /** When the newest snapshot at or before `asOf` was taken, if any. */
  lastChange(asOf: number): number | undefined {
    let last: number | undefined;
    for (const snapshot of this.snapshots) {
      if (snapshot.asOf > asOf) break;
      last = snapshot.asOf;
    }
    return last;
  }
}
