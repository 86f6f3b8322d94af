/**
 * How many queries run at once, per org and in all, on this server. There is no queue: a query over a cap is
 * refused at once (429), because a client waiting in a queue holds a connection and its answer would come no
 * sooner than a retry's.
 *
 * ```ts
 * const admission = new QueryAdmission({ perOrg: 2, perServer: 4 });
 * const admitted = admission.admit('ACME@AdobeOrg');
 * if ('release' in admitted) try { ... } finally { admitted.release(); }
 * ```
 */
export class QueryAdmission {
  private readonly byOrg = new Map<string, number>();
  private total = 0;

  constructor(private readonly caps: { perOrg: number; perServer: number }) {}

  /** A slot, with the function that gives it back (once), or the cap that is reached. */
  admit(orgId: string): { release: () => void } | { refused: 'org' | 'server' } {
    const running = this.byOrg.get(orgId) ?? 0;
    if (running >= this.caps.perOrg) return { refused: 'org' };
    if (this.total >= this.caps.perServer) return { refused: 'server' };
    this.byOrg.set(orgId, running + 1);
    this.total += 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.total -= 1;
        const left = (this.byOrg.get(orgId) ?? 1) - 1;
        if (left > 0) this.byOrg.set(orgId, left);
        else this.byOrg.delete(orgId);
      },
    };
  }
}
