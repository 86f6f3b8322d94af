/** Any value JSON can carry; the standard library is plain data, so nothing else is allowed in it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

export type JsonObject = { [key: string]: JsonValue };
