/**
 * Why a run failed, with the AEP error code the run reports. `kind` says who must act:
 * transient (retry), config (the user fixes the flow or the source), provider (the source answered something
 * unexpected: report it), data (rejected rows over the threshold).
 */
export class RunFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: 'transient' | 'config' | 'provider' | 'data' | 'internal',
    readonly recordCount?: number,
  ) {
    super(message);
    this.name = 'RunFailure';
  }
}
