import { paramPath, type ParamNode } from './form-params.js';
import { invalidRequest } from './stripe-errors.js';

/**
 * Checks query parameters the way Stripe does: an unknown name is rejected ("Received unknown parameter"),
 * integers, booleans and enums are checked, and ranges are `integer | {gt, gte, lt, lte}`. Messages follow
 * Stripe's wording; `param` names the offending parameter as it was written (`created[gte]`).
 */

export type ParamSpec =
  | { type: 'string'; maxLength?: number }
  | { type: 'integer' }
  | { type: 'boolean' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'range' }
  | { type: 'array'; maxItems?: number }
  | { type: 'object'; fields: Readonly<Record<string, ParamSpec>> };

export interface Range {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export type ParamValue = string | number | boolean | Range | string[] | { [key: string]: ParamValue };

const RANGE_KEYS = ['gt', 'gte', 'lt', 'lte'] as const;

export function validateParams(params: Map<string, ParamNode>, specs: Readonly<Record<string, ParamSpec>>): Map<string, ParamValue> {
  const out = new Map<string, ParamValue>();
  for (const [name, node] of params) {
    const spec = specs[name];
    if (!spec) throw invalidRequest(`Received unknown parameter: ${name}`, name);
    out.set(name, validateNode(node, spec, name));
  }
  return out;
}

function validateNode(node: ParamNode, spec: ParamSpec, path: string): ParamValue {
  switch (spec.type) {
    case 'string': {
      const value = scalar(node, path, 'string');
      const max = spec.maxLength ?? 5000;
      if (value.length > max) throw invalidRequest(`Invalid string: ${value.slice(0, 20)}...; must be at most ${max} characters`, path);
      return value;
    }
    case 'integer':
      return integer(scalar(node, path, 'integer'), path);
    case 'boolean': {
      const value = scalar(node, path, 'boolean');
      if (value !== 'true' && value !== 'false') throw invalidRequest(`Invalid boolean: ${value}`, path);
      return value === 'true';
    }
    case 'enum': {
      const value = scalar(node, path, 'string');
      if (!spec.values.includes(value)) throw invalidRequest(`Invalid ${path}: must be one of ${oneOf(spec.values)}`, path);
      return value;
    }
    case 'range': {
      if (!node.children) {
        const exact = integer(scalar(node, path, 'integer'), path);
        return { gte: exact, lte: exact };
      }
      if (node.value !== undefined) throw invalidRequest(`Invalid ${path}: give either an integer or a hash of gt, gte, lt and lte`, path);
      const range: Range = {};
      for (const [key, child] of node.children) {
        const childPath = paramPath(path, key);
        if (!(RANGE_KEYS as readonly string[]).includes(key)) throw invalidRequest(`Received unknown parameter: ${childPath}`, childPath);
        range[key as (typeof RANGE_KEYS)[number]] = integer(scalar(child, childPath, 'integer'), childPath);
      }
      return range;
    }
    case 'array': {
      if (!node.children) throw invalidRequest(`Invalid array`, path);
      const items: string[] = [];
      for (const [key, child] of node.children) items.push(scalar(child, paramPath(path, key), 'string'));
      if (spec.maxItems !== undefined && items.length > spec.maxItems) throw invalidRequest(`Invalid array: ${path} must contain at most ${spec.maxItems} elements`, path);
      return items;
    }
    case 'object': {
      if (!node.children) throw invalidRequest(`Invalid object`, path);
      const out: { [key: string]: ParamValue } = {};
      for (const [key, child] of node.children) {
        const childPath = paramPath(path, key);
        const childSpec = spec.fields[key];
        if (!childSpec) throw invalidRequest(`Received unknown parameter: ${childPath}`, childPath);
        out[key] = validateNode(child, childSpec, childPath);
      }
      return out;
    }
  }
}

function scalar(node: ParamNode, path: string, kind: string): string {
  if (node.children || node.value === undefined) throw invalidRequest(`Invalid ${kind}: ${describe(node)}`, path);
  return node.value;
}

function integer(value: string, path: string): number {
  if (!/^[+-]?\d{1,15}$/.test(value.trim())) throw invalidRequest(`Invalid integer: ${value}`, path);
  return Number(value);
}

function describe(node: ParamNode): string {
  if (!node.children) return node.value ?? '';
  return `{${[...node.children].map(([key, child]) => `${key}: ${describe(child)}`).join(', ')}}`;
}

function oneOf(values: readonly string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')}, or ${values[values.length - 1]}`;
}

/** Whether a value lies in a range (open bounds where absent). */
export function inRange(value: number, range: Range | undefined): boolean {
  if (!range) return true;
  if (range.gt !== undefined && !(value > range.gt)) return false;
  if (range.gte !== undefined && !(value >= range.gte)) return false;
  if (range.lt !== undefined && !(value < range.lt)) return false;
  if (range.lte !== undefined && !(value <= range.lte)) return false;
  return true;
}

/** A range as inclusive integer bounds. */
export function inclusiveBounds(range: Range | undefined): { min: number; max: number } {
  let min = -Infinity;
  let max = Infinity;
  if (range?.gt !== undefined) min = Math.max(min, range.gt + 1);
  if (range?.gte !== undefined) min = Math.max(min, range.gte);
  if (range?.lt !== undefined) max = Math.min(max, range.lt - 1);
  if (range?.lte !== undefined) max = Math.min(max, range.lte);
  return { min, max };
}
