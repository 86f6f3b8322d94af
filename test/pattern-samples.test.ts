import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleMatching } from '../src/services/schemaregistry/pattern-sample.js';
import { sharedDir, sharedReferenceAvailable } from './support/shared-reference.js';

/** A fixed generator, so a failure repeats. */
function random(seed = 7): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const patterns = [
  '^[A-Z]{3}$',
  '^[A-Z]{2}(-[A-Z0-9]{1,3}){0,1}$',
  '\\w+\\/[-.\\w]+(?:\\+[-.\\w]+)?',
  '^.{1,}$',
  '^[_A-Za-z0-9]+$',
  '[0-1][0-9]-[0-9][0-9]',
  '^[0-9]{1,3}?$',
  '^(\\w+:\\/\\/|www)(localhost|[^\\s:\\/]+\\.[^\\s:\\/]+)(:\\d+)?(\\/[^\\s]*)?$',
  '^([1-4]{1})$|^([Qq][1-4]{1})$',
  '^[^a-z]+$',
  '^(?<year>[0-9]{4})-[0-9]{2}$',
  '^\\x41\\u0042[\\]a-]+$',
  '^a|b$',
];

/** Every pattern the XDM reference uses, when the reference material is here. */
function referencePatterns(): string[] {
  const root = path.join(sharedDir, 'reference', 'xdm-full');
  if (!sharedReferenceAvailable || !fs.existsSync(root)) return [];
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const pattern = (node as Record<string, unknown>).pattern;
      if (typeof pattern === 'string') found.add(pattern);
      Object.values(node).forEach(walk);
    }
  };
  for (const file of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (file.endsWith('.json')) walk(JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')));
  }
  return [...found];
}

describe('strings for a schema pattern', () => {
  it.each([...patterns, ...referencePatterns()])('finds one that %s matches', (pattern) => {
    const sample = sampleMatching(pattern, random());
    expect(sample).toBeDefined();
    expect(new RegExp(pattern).test(sample as string)).toBe(true);
  });

  it('keeps within length bounds as well, or finds nothing', () => {
    const long = sampleMatching('^[a-z]+$', random(), { minLength: 10, maxLength: 12 });
    expect(long).toMatch(/^[a-z]{10,12}$/);
    expect(sampleMatching('^[a-z]{2}$', random(), { minLength: 3 })).toBeUndefined();
  });

  it('promises nothing for lookaround, backreferences or a pattern that is not one', () => {
    for (const pattern of ['^(?=X)X$', '^(?!a)b$', '(?<=a)b', '^(a)\\1$', '^(unclosed$', '[']) expect(sampleMatching(pattern, random()), pattern).toBeUndefined();
  });
});
