/**
 * How many objects a list that cannot page in SQL reads at a time: a page's worth of bodies, so no query is
 * larger than a list's page and nothing holds a whole kind.
 */
export const stretchSize = 500;

/** What `read` gives for `ids`, `stretchSize` ids at a time, in their order. */
export async function* inStretches<T>(ids: readonly string[], read: (chunk: string[]) => Promise<T[]>): AsyncGenerator<T[]> {
  for (let at = 0; at < ids.length; at += stretchSize) yield await read(ids.slice(at, at + stretchSize));
}
