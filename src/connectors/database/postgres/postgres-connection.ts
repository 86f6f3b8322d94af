import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { DatabaseAddress } from '../connection-string.js';

/** A signed-in connection, with what it was opened with (a parallel read opens more like it). */
export interface PostgresSession {
  client: pg.Client;
  address: DatabaseAddress;
  tls: boolean;
}

/** How long a connection attempt may take before the host counts as unreachable. */
const connectTimeoutMs = 15_000;

/**
 * Every session reads times in UTC and ISO forms, and SQL string literals plainly (no backslash escapes), so the
 * staged text and the keyset literals mean the same on every server whatever its defaults.
 */
const sessionSettings = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'iso_8601'; SET standard_conforming_strings = on; SET client_encoding = 'UTF8'";

/** Signs in and sets the session up; the connection is closed again when either fails. */
export async function connect(address: DatabaseAddress, tls: boolean): Promise<pg.Client> {
  const client = new pg.Client({
    host: address.host,
    port: address.port ?? 5432,
    database: address.database,
    user: address.user,
    password: address.password,
    application_name: 'tributary',
    connectionTimeoutMillis: connectTimeoutMs,
    keepAlive: true,
    ssl: tls ? { rejectUnauthorized: address.tls.validateCertificate } : false,
  });
  // A connection that drops between queries is reported by the next query; the event alone must not end the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(sessionSettings);
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}

/** Runs one `COPY … TO STDOUT`, writing what the server sends into `file` as it comes; the rows copied. */
export async function copyInto(client: pg.Client, sql: string, file: string): Promise<number> {
  const copy = client.query(copyTo(sql));
  await pipeline(copy, fs.createWriteStream(file));
  return copy.rowCount;
}
