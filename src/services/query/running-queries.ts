interface Running {
  controller: AbortController;
  /** Settles once the query has stopped and its final state is recorded. */
  finished: Promise<void>;
}

/**
 * The queries this process is running, by id, so that a cancel reaching this server stops its worker at once. A
 * cancel for a query another server runs is recorded on the query instead (see `QueryRuns`).
 */
export class RunningQueries {
  private readonly queries = new Map<string, Running>();

  /** Registers a query; `finish` must be called once it is recorded in its final state. */
  start(id: string): { signal: AbortSignal; finish: () => void } {
    const controller = new AbortController();
    let finish = () => {};
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    this.queries.set(id, { controller, finished });
    return {
      signal: controller.signal,
      finish: () => {
        this.queries.delete(id);
        finish();
      },
    };
  }

  has(id: string): boolean {
    return this.queries.has(id);
  }

  /** Stops a query this process runs and waits until its final state is recorded; false when it runs elsewhere or not at all. */
  async cancel(id: string): Promise<boolean> {
    const running = this.queries.get(id);
    if (!running) return false;
    running.controller.abort();
    await running.finished;
    return true;
  }

  /** Stops every query (the server is closing) and waits until each is recorded. */
  async cancelAll(): Promise<void> {
    await Promise.all([...this.queries.keys()].map((id) => this.cancel(id)));
  }
}
