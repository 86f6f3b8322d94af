import { SourceProviderError } from '../source-connector.js';
import type { PaginatorDefinition } from './definition.js';
import type { HttpRequest } from './http-requester.js';
import { valueAt } from './record-writer.js';

/**
 * The request for the next page, or null when the last page has been read. How the next token is found
 * (a page number, a cursor, the last id, a link) is the paginator's; where it goes (query or body) too.
 */
export function nextPage(paginator: PaginatorDefinition, request: HttpRequest, body: unknown, records: unknown[]): HttpRequest | null {
  switch (paginator.type) {
    case 'none':
      return null;
    case 'page-number': {
      if (records.length === 0) return null;
      const current = Number(request.query?.[paginator.param] ?? paginator.firstPage ?? 1);
      const total = paginator.totalPagesPath ? valueAt(body, paginator.totalPagesPath) : undefined;
      if (typeof total === 'number' && current >= total) return null;
      return { ...request, query: { ...request.query, [paginator.param]: String(current + 1) } };
    }
    case 'cursor': {
      const cursor = valueAt(body, paginator.cursorPath);
      if (typeof cursor !== 'string' || cursor === '') return null;
      if (paginator.in === 'query') return { ...request, query: { ...request.query, [paginator.param]: cursor } };
      const current = request.body instanceof URLSearchParams ? {} : (request.body ?? {});
      return { ...request, body: { ...current, [paginator.param]: cursor } };
    }
    case 'after-last-id': {
      if (valueAt(body, paginator.hasMorePath) !== true || records.length === 0) return null;
      const id = valueAt(records[records.length - 1], paginator.idPath);
      if (typeof id !== 'string') throw new SourceProviderError(`a page said it has more records but its last record has no ${paginator.idPath.join('.')}`);
      return { ...request, query: { ...request.query, [paginator.param]: id } };
    }
    case 'next-link': {
      const links = valueAt(body, paginator.linksPath);
      const next = Array.isArray(links) ? (links as { rel?: unknown; href?: unknown }[]).find((l) => l.rel === 'next') : undefined;
      if (typeof next?.href !== 'string') return null;
      const url = new URL(next.href, 'http://provider.invalid');
      // Only the path and query of the link are followed: the host stays the connection's own.
      return { ...request, path: url.pathname, query: Object.fromEntries(url.searchParams) };
    }
  }
}
