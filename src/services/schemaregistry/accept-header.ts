import { ApiError } from '../../server/errors/api-error.js';

/** What a registry Accept header asks for. */
export interface XedFormat {
  /** `id`: summaries only (lists). */
  id: boolean;
  full: boolean;
  notext: boolean;
  desc: boolean;
  /** Major version asked for, if any. */
  version: number | undefined;
}

const pattern = /^application\/vnd\.adobe\.(xed|xdm)((?:-(?:id|full|notext|desc|flat|deprecated|deprecatefield))*)\+json$/i;

export function parseAccept(header: string | undefined): XedFormat | undefined {
  if (!header) return undefined;
  for (const candidate of header.split(',')) {
    const [media, ...params] = candidate.split(';').map((p) => p.trim());
    const match = media ? pattern.exec(media) : null;
    if (!match) continue;
    const flags = (match[2] ?? '').toLowerCase().split('-').filter((f) => f !== '');
    const versionParam = params.find((p) => /^version\s*=/i.test(p));
    const versionText = versionParam?.split('=')[1]?.trim();
    const version = versionText === undefined ? undefined : Number.parseInt(versionText, 10);
    return {
      id: flags.includes('id'),
      full: flags.includes('full'),
      notext: flags.includes('notext'),
      desc: flags.includes('desc'),
      version: version !== undefined && Number.isFinite(version) ? version : undefined,
    };
  }
  return undefined;
}

/** Lists take `xed-id` (summaries) or `xed` / `xed-full` (documents); plain JSON or no Accept means summaries. */
export function listFormat(header: string | undefined): XedFormat {
  if (!header || /^\s*(\*\/\*|application\/json)\s*$/i.test(header)) return { id: true, full: false, notext: false, desc: false, version: undefined };
  const format = parseAccept(header);
  if (!format) {
    throw new ApiError('acceptInvalid', `Accept header "${header}" is not supported for listing; use application/vnd.adobe.xed-id+json or application/vnd.adobe.xed+json.`, {
      problems: [{ in: 'header', path: 'accept', message: 'unsupported media type' }],
    });
  }
  return format;
}

/**
 * Lookups need a versioned XED type, e.g. `application/vnd.adobe.xed-full+json; version=1` (a missing version is
 * AEP's documented 400, "version must be supplied in the accept header"). `xed-id` asks for the summary of the one
 * resource (the `$id`, `meta:altId`, `version` and `title` a list shows), as Adobe's Postman collection sends it for
 * lookups; it needs no version. A missing or unknown media type is AEP's documented 406.
 */
export function lookupFormat(header: string | undefined): XedFormat {
  const format = parseAccept(header);
  if (!format) {
    throw new ApiError('notAcceptable', `Accept header "${header ?? ''}" is not available for a lookup; use e.g. application/vnd.adobe.xed-full+json; version=1.`, {
      problems: [{ in: 'header', path: 'accept', message: 'unsupported media type' }],
    });
  }
  if (format.version === undefined && !format.id) {
    throw new ApiError('acceptMissingVersion', 'The Accept header of a lookup must name a version, e.g. application/vnd.adobe.xed+json; version=1.', {
      problems: [{ in: 'header', path: 'accept', message: 'version is required' }],
    });
  }
  return format;
}

/** The media type a lookup answers with, built from what was parsed (never echoed from the request). */
export function mediaTypeOf(format: XedFormat): string {
  if (format.id) return 'application/vnd.adobe.xed-id+json; charset=utf-8';
  const flags = `${format.full ? '-full' : ''}${format.notext ? '-notext' : ''}${format.desc ? '-desc' : ''}`;
  return `application/vnd.adobe.xed${flags}+json; version=${format.version ?? 1}; charset=utf-8`;
}
