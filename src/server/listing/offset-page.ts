import { valuesAt } from './json-path.js';
import { compareToValues, type SortKey } from './order-by.js';

/**
 * The page of an offset-paged list (`start`, `limit`) picked from items offered a stretch at a time, in the order
 * they were stored: those `accepts` takes, sorted by `order` (items that tie keep their stored order), of which only
 * the first `start + limit` are kept. The page is the one sorting every item at once would give, so a list read a
 * stretch at a time answers as one read whole, holding at most the items up to its page's end.
 */
export class OffsetPageSelector<T> {
  private kept: T[] = [];
  private readonly keep: number;

  constructor(
    private readonly order: readonly SortKey[],
    private readonly start: number,
    private readonly limit: number,
    private readonly accepts: (item: T) => boolean = () => true,
  ) {
    // A start past what any store holds keeps nothing: its page is empty.
    this.keep = Number.isSafeInteger(start + limit) ? start + limit : 0;
  }

  offer(items: readonly T[]): void {
    for (const item of items) if (this.accepts(item)) this.kept.push(item);
    const { order } = this;
    // The sort is stable and the kept items precede the new ones, which come in stored order: ties keep that order.
    this.kept.sort((a, b) => compareToValues(a, order, order.map((key) => valuesAt(b, key.path)[0])));
    if (this.kept.length > this.keep) this.kept.length = this.keep;
  }

  page(): T[] {
    return this.kept.slice(this.start, this.start + this.limit);
  }
}
