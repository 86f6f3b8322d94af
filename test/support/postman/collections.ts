/**
 * Adobe's Postman collections as the tests use them: read from the shared reference folder and changed only in
 * what a user changes before a run (where upload bodies are read from, and the host for collections that write
 * `https://platform.adobe.io` into every URL).
 */
import fs from 'node:fs';
import path from 'node:path';
import { sharedDir } from '../shared-reference.js';

export type PostmanCollection = { item: PostmanItem[]; [key: string]: unknown };
export type PostmanItem = { name: string; item?: PostmanItem[]; request?: PostmanRequest; [key: string]: unknown };
export type PostmanRequest = {
  method: string;
  url: string | { raw: string; protocol?: string; host?: string[]; port?: string; [key: string]: unknown };
  body?: { mode: string; file?: { src: string }; raw?: string; [key: string]: unknown };
  [key: string]: unknown;
};

export const postmanDir = path.join(sharedDir, 'reference', 'postman');

export function loadCollection(relativePath: string): PostmanCollection {
  return JSON.parse(fs.readFileSync(path.join(postmanDir, relativePath), 'utf8')) as PostmanCollection;
}

/** Every request of a collection, depth first, as newman runs them. */
export function requestsOf(items: PostmanItem[]): PostmanItem[] {
  return items.flatMap((item) => (item.item ? requestsOf(item.item) : item.request ? [item] : []));
}

/** The file a request uploads, by its base name (the collection's author kept them on their laptop). */
export function fileBodyOf(item: PostmanItem): string | undefined {
  const src = item.request?.body?.mode === 'file' ? item.request.body.file?.src : undefined;
  return src === undefined ? undefined : src.split(/[\\/]/).pop();
}

/** A copy whose file bodies read the given local files, matched by base name; an unmatched one is an error. */
export function pointFileBodiesAt(collection: PostmanCollection, files: Record<string, string>): PostmanCollection {
  const copy = structuredClone(collection);
  for (const item of requestsOf(copy.item)) {
    const name = fileBodyOf(item);
    if (name === undefined || !item.request?.body?.file) continue;
    const local = files[name];
    if (local === undefined) throw new Error(`no local file for ${item.name}'s body ${name}`);
    item.request.body.file.src = local;
  }
  return copy;
}

/** A copy whose URLs on `from` (e.g. https://platform.adobe.io) go to `to` instead, path and query unchanged. */
export function rewriteHost(collection: PostmanCollection, from: string, to: string): PostmanCollection {
  const copy = structuredClone(collection);
  const target = new URL(to);
  for (const item of requestsOf(copy.item)) {
    const request = item.request;
    if (!request) continue;
    if (typeof request.url === 'string') {
      if (request.url.startsWith(from)) request.url = `${to}${request.url.slice(from.length)}`;
      continue;
    }
    if (!request.url.raw.startsWith(from)) continue;
    request.url.raw = `${to}${request.url.raw.slice(from.length)}`;
    request.url.protocol = target.protocol.replace(':', '');
    request.url.host = target.hostname.split('.');
    request.url.port = target.port;
  }
  return copy;
}
