import { ApiError } from '../errors/api-error.js';
import { valuesAt } from './json-path.js';
import { valueText } from './value-text.js';

export type FilterOperator = '==' | '!=' | '<' | '>' | '<=' | '>=' | '~' | 'exists' | 'missing';

export interface PropertyFilter {
  path: string;
  operator: FilterOperator;
  /** Comma-separated values mean OR. */
  values: string[];
}

// Longest operators first, so `<=` is not read as `<`.
const operators: FilterOperator[] = ['==', '!=', '<=', '>=', '~', '<', '>'];

/**
 * Parses `property=` expressions: `name=="CRMToAEP"`, `createdAt>1590000000000`, `id==a,b`, `!name` (missing), `name` (exists).
 * `allowed` lists the operators the service implements; others are FLOW-1440-style errors.
 */
export function parsePropertyFilter(expression: string, allowed: readonly FilterOperator[]): PropertyFilter {
  const text = expression.trim();
  let best: { index: number; operator: FilterOperator } | undefined;
  for (const operator of operators) {
    const index = text.indexOf(operator);
    if (index > 0 && (best === undefined || index < best.index || (index === best.index && operator.length > best.operator.length))) {
      best = { index, operator };
    }
  }
  if (!best) {
    if (/^!?[\w:@$.[\]-]+$/.test(text) && text !== '!') {
      return text.startsWith('!')
        ? { path: text.slice(1), operator: 'missing', values: [] }
        : { path: text, operator: 'exists', values: [] };
    }
    throw new ApiError('badFilter', `property filter "${expression}" has no operator; use one of ${allowed.join(' ')}`);
  }
  const path = text.slice(0, best.index).trim();
  const raw = text.slice(best.index + best.operator.length).trim();
  if (path === '' || !/^[\w:@$.[\]-]+$/.test(path)) {
    throw new ApiError('badFilter', `property filter "${expression}" has an invalid field name "${path}"`);
  }
  if (!allowed.includes(best.operator)) {
    throw new ApiError('operatorNotImplemented', `operator "${best.operator}" is not implemented for property filters here`);
  }
  const values = splitValues(raw).map(unquote);
  if (values.length === 0 || values.some((v) => v === '')) {
    throw new ApiError('badFilter', `property filter "${expression}" has no value after "${best.operator}"`);
  }
  // Checked here, so a dangerous pattern is refused even when there is nothing to match it against.
  if (best.operator === '~') values.forEach(safeRegex);
  return { path, operator: best.operator, values };
}

function splitValues(raw: string): string[] {
  // Quoted values may contain commas.
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const char of raw) {
    if (quote) {
      current += char;
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
      current += char;
    } else if (char === ',') {
      out.push(current.trim());
      current = '';
    } else current += char;
  }
  out.push(current.trim());
  return out;
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) && value.length >= 2 ? value.slice(1, -1) : value;
}

export function matchesFilter(item: unknown, filter: PropertyFilter): boolean {
  const found = valuesAt(item, filter.path);
  if (filter.operator === 'exists') return found.some((v) => v !== undefined && v !== null);
  if (filter.operator === 'missing') return !found.some((v) => v !== undefined && v !== null);
  if (filter.operator === '!=') return !found.some((v) => filter.values.some((w) => compare(v, w) === 0));
  return found.some((v) =>
    filter.values.some((w) => {
      if (filter.operator === '~') return safeRegex(w).test(valueText(v).slice(0, 1024));
      const order = compare(v, w);
      if (order === undefined) return false;
      switch (filter.operator) {
        case '==':
          return order === 0;
        case '<':
          return order < 0;
        case '>':
          return order > 0;
        case '<=':
          return order <= 0;
        case '>=':
          return order >= 0;
        default:
          return false;
      }
    }),
  );
}

function compare(actual: unknown, expected: string): number | undefined {
  if (actual === null || actual === undefined || typeof actual === 'object') return undefined;
  if (typeof actual === 'number' && expected.trim() !== '' && Number.isFinite(Number(expected))) {
    return Math.sign(actual - Number(expected));
  }
  const left = String(actual);
  return left === expected ? 0 : left < expected ? -1 : 1;
}

/**
 * `~` filters run client regular expressions on the event loop; refuse the shapes that backtrack
 * exponentially (a quantified group containing a quantifier, back-references) and long patterns.
 */
function safeRegex(pattern: string): RegExp {
  if (pattern.length > 128) throw new ApiError('badFilter', 'a ~ pattern may be at most 128 characters');
  const nestedRepetition = /\([^)]*[+*{|][^)]*\)\s*[+*{]/;
  if (nestedRepetition.test(pattern) || /\\\d/.test(pattern)) {
    throw new ApiError('badFilter', `"${pattern}" nests repetition (or uses a back-reference), which is not allowed in ~ filters`);
  }
  try {
    return new RegExp(pattern);
  } catch {
    throw new ApiError('badFilter', `"${pattern}" is not a valid regular expression`);
  }
}

export function queryValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
