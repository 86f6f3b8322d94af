import fs from 'node:fs';
import type { FastifyReply } from 'fastify';
import type { LakeFile } from '../../lake/batch-files.js';

/**
 * Streams a lake file as a download, never buffering it. A single `Range: bytes=a-b` (or `a-`, `-n`) gets a
 * 206 with that slice; any other Range, including one past the end, is ignored and the whole file goes, as
 * RFC 9110 §14.2 allows.
 */
export function sendFile(reply: FastifyReply, file: LakeFile, range: string | undefined): FastifyReply {
  void reply
    .header('content-type', 'application/octet-stream')
    .header('content-disposition', `attachment; filename="${file.name.replace(/["\\\r\n]/g, '_')}"`)
    .header('accept-ranges', 'bytes');
  const span = range === undefined ? undefined : byteRange(range, file.bytes);
  if (!span) return reply.header('content-length', file.bytes).send(fs.createReadStream(file.path));
  return reply
    .status(206)
    .header('content-range', `bytes ${span.start}-${span.end}/${file.bytes}`)
    .header('content-length', span.end - span.start + 1)
    .send(fs.createReadStream(file.path, { start: span.start, end: span.end }));
}

function byteRange(header: string, size: number): { start: number; end: number } | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  const [, first = '', last = ''] = match ?? [];
  if (!match || (first === '' && last === '')) return undefined;
  const span = first === '' ? { start: Math.max(0, size - Number(last)), end: size - 1 } : { start: Number(first), end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
  return span.start <= span.end && span.start < size ? span : undefined;
}
