import type { IndexCondition } from '../../store/index-query.js';
import type { PropertyFilter } from './property-filter.js';

/** A field a list filters on in SQL: its index column, and whether the column holds numbers (bigint). */
export interface IndexedField<C extends string> {
  column: C;
  numeric: boolean;
}

/**
 * A `property=` filter on an indexed field as a condition the index table answers the way the JS listing would, or
 * undefined where only the JS path can (the caller then narrows in SQL by the other filters and finishes in JS).
 */
export function indexedCondition<C extends string>(filter: PropertyFilter, field: IndexedField<C>): IndexCondition<C> | undefined {
  const { column, numeric } = field;
  if (filter.operator === 'exists') return { column, operator: 'present' };
  if (filter.operator === 'missing') return { column, operator: 'absent' };
  if (numeric) {
    // JS compares a number to a value as numbers only when the value reads as one; the column is a bigint, which
    // PostgreSQL refuses to compare with 1.5 or 1e300: such values take the JS path.
    const values = filter.values.map((v) => (v.trim() !== '' && Number.isSafeInteger(Number(v)) ? Number(v) : undefined));
    if (values.some((v) => v === undefined)) return undefined;
    const numbers = values as number[];
    if (filter.operator === '==') return { column, operator: 'in', values: numbers };
    if (filter.operator === '!=') return { column, operator: 'notIn', values: numbers };
    // Comma-separated values mean or: `createdAt>=a,b` holds where the loosest bound holds.
    if (filter.operator === '>' || filter.operator === '>=') return { column, operator: filter.operator, value: Math.min(...numbers) };
    if (filter.operator === '<' || filter.operator === '<=') return { column, operator: filter.operator, value: Math.max(...numbers) };
    return undefined;
  }
  // PostgreSQL refuses text with a NUL character (an error, not an empty answer).
  if (filter.values.some((v) => v.includes('\u0000'))) return undefined;
  if (filter.operator === '==') return { column, operator: 'in', values: filter.values };
  if (filter.operator === '!=') return { column, operator: 'notIn', values: filter.values };
  return undefined;
}
