import type { JsonValue } from './json-value.js';

/** One Schema Registry resource as `application/vnd.adobe.xed+json; version=1` returns it (unresolved). */
export type XedDocument = { [key: string]: JsonValue };
