import { StandInClock } from './standin-server.js';

/**
 * A stand-in clock that follows real time, for `tributary sandbox`: a person's flow runs against the stand-in for
 * hours, and a frozen clock would keep PayPal's reporting lag, token lifetimes and Stripe's event retention at the
 * moment the sandbox started, so Tributary's windows would soon start after the provider's "now".
 * `set` and `advance` still work (generators stamp history with them); they move an offset, and time goes on from there.
 */
export class WallClock extends StandInClock {
  private offset = 0;

  constructor(private readonly realNow: () => number = Date.now) {
    super(realNow());
  }

  override now(): number {
    return this.realNow() + this.offset;
  }

  override set(ms: number): void {
    this.offset = ms - this.realNow();
  }

  override advance(ms: number): void {
    this.offset += ms;
  }
}
