import type { Expression } from './expression.js';
import { isTimeZone, normaliseDatePattern } from './java-date-pattern.js';

/**
 * Which arguments of the date functions are a Java date pattern (read or printed) or a time zone id. The compiler
 * reads them only when a run compiles the mapping; these are checked when the mapping set is saved, so that a
 * pattern letter the engine cannot translate is refused then, not in the middle of a run.
 */
const dateArguments: Readonly<Record<string, { pattern?: { at: number; use: 'parse' | 'print' }; zones?: readonly number[] }>> = {
  date: { pattern: { at: 1, use: 'parse' } },
  format: { pattern: { at: 1, use: 'print' }, zones: [2] },
  dformat: { pattern: { at: 1, use: 'print' } },
  zone_date_to_utc: { zones: [1] },
  zone_date_to_zone: { zones: [1, 2] },
};

/**
 * What is wrong with the date patterns and time zones of an expression's date function calls, one message each,
 * e.g. `date(…, "yyyy-QQ"): "yyyy-QQ" has pattern letters QQ that are not supported; use e.g. yyyy-MM-dd HH:mm:ss`.
 * The parser bounds the nesting, so the walk (with its own stack) is as long as the expression.
 */
export function dateArgumentProblems(expression: Expression): string[] {
  const problems: string[] = [];
  const stack: Expression[] = [expression];
  while (stack.length > 0) {
    const node = stack.pop() as Expression;
    switch (node.kind) {
      case 'call': {
        problems.push(...callProblems(node.name, node.args));
        stack.push(...node.args);
        break;
      }
      case 'method':
        stack.push(node.target, ...node.args);
        break;
      case 'index':
        stack.push(node.target, node.index);
        break;
      case 'unary':
        stack.push(node.operand);
        break;
      case 'binary':
        stack.push(node.left, node.right);
        break;
      default:
        break;
    }
  }
  return problems;
}

function callProblems(name: string, args: Expression[]): string[] {
  const spec = dateArguments[name];
  if (!spec) return [];
  const problems: string[] = [];
  const pattern = spec.pattern ? args[spec.pattern.at] : undefined;
  if (spec.pattern && pattern) {
    if (pattern.kind !== 'literal' || typeof pattern.value !== 'string') problems.push(`${name}(…): the date pattern must be a string literal`);
    else {
      const checked = normaliseDatePattern(pattern.value, spec.pattern.use);
      if ('error' in checked) problems.push(`${name}(…): ${checked.error}`);
    }
  }
  for (const at of spec.zones ?? []) {
    const zone = args[at];
    if (!zone) continue;
    if (zone.kind !== 'literal' || typeof zone.value !== 'string') problems.push(`${name}(…): the time zone must be a string literal, e.g. "Europe/Paris"`);
    else if (!isTimeZone(zone.value)) problems.push(`${name}(…): "${zone.value}" is not a time zone id (e.g. UTC, Europe/Paris, America/New_York)`);
  }
  return problems;
}
