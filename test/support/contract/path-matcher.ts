/**
 * Matches a concrete request path (below the service base) to a spec path template.
 *
 * Concrete paths are split on raw `/` before any decoding, so a parameter that carries a
 * URL-encoded `$id` (`https%3A%2F%2Fns.adobe.com%2F...`) stays one segment, as it does on the wire.
 * A trailing slash is ignored on both sides because the Flow Service spec declares
 * `PATCH|DELETE /connections/{id}/` next to `GET /connections/{id}`, while clients call both without it.
 */

export interface PathTemplate {
  /** The path key exactly as written in the spec, e.g. `/connections/{BASE_CONNECTION_ID}/`. */
  readonly template: string;
  /** Lower-case HTTP methods declared on this path. */
  readonly methods: ReadonlySet<string>;
}

interface CompiledTemplate extends PathTemplate {
  readonly segments: readonly RegExp[];
  /** 1 for a literal segment, 0 for one containing a parameter; compared left to right for specificity. */
  readonly literalMask: readonly number[];
  readonly trailingSlash: boolean;
}

export interface PathMatch {
  readonly template: string;
}

export class PathMatcher {
  private readonly templates: readonly CompiledTemplate[];

  constructor(templates: readonly PathTemplate[], private readonly basePath: string) {
    this.templates = templates.map(compileTemplate);
  }

  /** Returns the most specific template that matches the path AND declares the method, or null. */
  match(method: string, concretePath: string): PathMatch | null {
    const wanted = method.toLowerCase();
    const normalised = this.normalise(concretePath);
    const segments = splitPath(normalised);
    const endsWithSlash = normalised.length > 1 && normalised.endsWith('/');
    let best: CompiledTemplate | null = null;
    for (const candidate of this.templates) {
      if (!candidate.methods.has(wanted) || !segmentsMatch(candidate, segments)) continue;
      if (best === null || isMoreSpecific(candidate, best, endsWithSlash)) best = candidate;
    }
    return best === null ? null : { template: best.template };
  }

  private normalise(concretePath: string): string {
    // Callers may pass a URL tail with a query or the full gateway path; neither is part of the template.
    let path = concretePath.split(/[?#]/, 1)[0] ?? '';
    if (!path.startsWith('/')) path = `/${path}`;
    if (this.basePath !== '' && (path === this.basePath || path.startsWith(`${this.basePath}/`))) {
      path = path.slice(this.basePath.length) || '/';
    }
    return path;
  }
}

function compileTemplate(template: PathTemplate): CompiledTemplate {
  const rawSegments = splitPath(template.template);
  return {
    ...template,
    segments: rawSegments.map(segmentPattern),
    literalMask: rawSegments.map((segment) => (segment.includes('{') ? 0 : 1)),
    trailingSlash: template.template.length > 1 && template.template.endsWith('/'),
  };
}

function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

function segmentPattern(segment: string): RegExp {
  const source = segment
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/]+' : escapeRegExp(part)))
    .join('');
  return new RegExp(`^${source}$`);
}

function segmentsMatch(template: CompiledTemplate, segments: readonly string[]): boolean {
  if (template.segments.length !== segments.length) return false;
  return template.segments.every((pattern, index) => {
    const segment = segments[index] ?? '';
    // Literal parts are compared both raw and decoded, so `/tenant%2Dx` style escapes still match.
    return pattern.test(segment) || pattern.test(safeDecode(segment));
  });
}

function isMoreSpecific(candidate: CompiledTemplate, current: CompiledTemplate, endsWithSlash: boolean): boolean {
  for (let index = 0; index < candidate.literalMask.length; index += 1) {
    const difference = (candidate.literalMask[index] ?? 0) - (current.literalMask[index] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  // Same shape: prefer the template whose trailing slash agrees with the request.
  return candidate.trailingSlash === endsWithSlash && current.trailingSlash !== endsWithSlash;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
