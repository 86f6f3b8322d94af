import { ApiError } from '../errors/api-error.js';

export type PatchOp = 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';

export interface PatchOperation {
  op: PatchOp;
  path: string;
  value?: unknown;
  from?: string;
}

const allOps: readonly PatchOp[] = ['add', 'remove', 'replace', 'move', 'copy', 'test'];

/**
 * Reads an RFC 6902 body. Op names are case-insensitive because AEP's own spec lists them in upper case
 * while its docs and clients send lower case (and one SDK sends "Add").
 */
export function parsePatch(body: unknown, allowed: readonly PatchOp[] = allOps): PatchOperation[] {
  if (!Array.isArray(body)) {
    throw new ApiError('validation', 'A PATCH body must be a JSON Patch array of {op, path, value}.', {
      problems: [{ in: 'body', path: '', message: 'must be an array of JSON Patch operations' }],
    });
  }
  return body.map((raw, index) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new ApiError('validation', `Patch operation ${index} must be an object.`, {
        problems: [{ in: 'body', path: `/${index}`, message: 'must be an object' }],
      });
    }
    const entry = raw as Record<string, unknown>;
    const op = typeof entry.op === 'string' ? entry.op.toLowerCase() : '';
    if (!allOps.includes(op as PatchOp) || !allowed.includes(op as PatchOp)) {
      throw new ApiError('patchOpUnsupported', `Patch operation ${JSON.stringify(typeof entry.op === 'string' ? entry.op : typeof entry.op)} at /${index}/op is not supported; use ${allowed.join(', ')}.`, {
        problems: [{ in: 'body', path: `/${index}/op`, message: `must be one of ${allowed.join(', ')}` }],
      });
    }
    if (typeof entry.path !== 'string') {
      throw new ApiError('patchPathMissing', `Patch operation ${index} has no "path".`, {
        problems: [{ in: 'body', path: `/${index}/path`, message: 'is required' }],
      });
    }
    if ((op === 'add' || op === 'replace' || op === 'test') && !('value' in entry)) {
      throw new ApiError('validation', `Patch operation ${index} (${op}) needs a "value".`, {
        problems: [{ in: 'body', path: `/${index}/value`, message: 'is required' }],
      });
    }
    if ((op === 'move' || op === 'copy') && typeof entry.from !== 'string') {
      throw new ApiError('validation', `Patch operation ${index} (${op}) needs a "from".`, {
        problems: [{ in: 'body', path: `/${index}/from`, message: 'is required' }],
      });
    }
    const operation: PatchOperation = { op: op as PatchOp, path: entry.path };
    if ('value' in entry) operation.value = entry.value;
    if (typeof entry.from === 'string') operation.from = entry.from;
    return operation;
  });
}

/** Applies operations to a deep copy of `document`; the original is never changed, so a failed patch stores nothing. */
export function applyPatch<T>(document: T, operations: PatchOperation[]): T {
  let root: unknown = structuredClone(document);
  operations.forEach((operation, index) => {
    try {
      root = applyOne(root, operation);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ApiError('patchFailed', `Patch operation ${index} (${operation.op} ${operation.path}) cannot be applied: ${reason}`, {
        problems: [{ in: 'body', path: `/${index}`, message: reason }],
      });
    }
  });
  return root as T;
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`"${pointer}" is not a JSON pointer (it must start with /)`);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function applyOne(root: unknown, operation: PatchOperation): unknown {
  switch (operation.op) {
    case 'add':
      return put(root, parsePointer(operation.path), structuredClone(operation.value), 'add');
    case 'replace':
      return put(root, parsePointer(operation.path), structuredClone(operation.value), 'replace');
    case 'remove':
      return remove(root, parsePointer(operation.path));
    case 'copy':
      return put(root, parsePointer(operation.path), structuredClone(get(root, parsePointer(operation.from ?? ''))), 'add');
    case 'move': {
      const from = parsePointer(operation.from ?? '');
      const value = get(root, from);
      return put(remove(root, from), parsePointer(operation.path), value, 'add');
    }
    case 'test':
      if (JSON.stringify(get(root, parsePointer(operation.path))) !== JSON.stringify(operation.value)) throw new Error('test failed');
      return root;
  }
}

function get(root: unknown, tokens: string[]): unknown {
  let current = root;
  for (const token of tokens) {
    if (Array.isArray(current)) current = current[arrayIndex(token, current.length - 1)];
    else if (isObject(current) && Object.hasOwn(current, token)) current = current[token];
    else throw new Error(`path does not exist`);
  }
  return current;
}

function put(root: unknown, tokens: string[], value: unknown, mode: 'add' | 'replace'): unknown {
  if (tokens.length === 0) return value;
  const parent = get(root, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) {
    if (last === '-' && mode === 'add') parent.push(value);
    else if (mode === 'add') parent.splice(arrayIndex(last, parent.length), 0, value);
    else parent[arrayIndex(last, parent.length - 1)] = value;
  } else if (isObject(parent)) {
    if (mode === 'replace' && !Object.hasOwn(parent, last)) throw new Error('path does not exist');
    parent[last] = value;
  } else throw new Error('parent is not an object or array');
  return root;
}

function remove(root: unknown, tokens: string[]): unknown {
  if (tokens.length === 0) throw new Error('cannot remove the whole document');
  const parent = get(root, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length - 1), 1);
  else if (isObject(parent) && Object.hasOwn(parent, last)) delete parent[last];
  else throw new Error('path does not exist');
  return root;
}

function arrayIndex(token: string, max: number): number {
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new Error(`"${token}" is not an array index`);
  const index = Number(token);
  if (index > max) throw new Error(`index ${index} is out of range`);
  return index;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
