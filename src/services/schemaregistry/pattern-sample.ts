/** A source of numbers in [0, 1), so that callers decide whether samples are reproducible. */
export type Random = () => number;

type Node =
  | { kind: 'sequence'; items: Node[] }
  | { kind: 'choice'; options: Node[] }
  | { kind: 'repeat'; node: Node; min: number; max: number }
  | { kind: 'chars'; ranges: [number, number][]; negated: boolean }
  | { kind: 'empty' };

/** Thrown for the parts of a pattern a sample cannot be built for (lookaround, backreferences). */
class UnsupportedPattern extends Error {}

/** Unbounded repeats (`*`, `+`, `{n,}`) stop this far past their minimum. */
const openRepeat = 3;
const attempts = 40;
const printable: [number, number] = [0x20, 0x7e];
const digit: [number, number][] = [[0x30, 0x39]];
const word: [number, number][] = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
const space: [number, number][] = [[0x20, 0x20], [0x09, 0x0d]];

/**
 * A string that `pattern` matches (as JSON Schema and the ingestion check read it: a search, not a full match)
 * and that fits the length bounds, or undefined when none is found: the first try takes the fewest repeats,
 * later ones random choices, and each candidate is checked against the pattern itself.
 */
export function sampleMatching(pattern: string, random: Random, bounds: { minLength?: number; maxLength?: number } = {}): string | undefined {
  let regex: RegExp;
  let tree: Node;
  try {
    regex = new RegExp(pattern);
    tree = new PatternParser(pattern).parse();
  } catch {
    return undefined;
  }
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const candidate = generate(tree, random, attempt === 0 ? 0 : 1 + (attempt % 8));
    const fits = (bounds.minLength === undefined || candidate.length >= bounds.minLength) && (bounds.maxLength === undefined || candidate.length <= bounds.maxLength);
    if (fits && regex.test(candidate)) return candidate;
  }
  return undefined;
}

/** `stretch` 0 takes every repeat's minimum and the first alternative; above it, random choices. */
function generate(node: Node, random: Random, stretch: number): string {
  switch (node.kind) {
    case 'sequence':
      return node.items.map((item) => generate(item, random, stretch)).join('');
    case 'choice': {
      const option = stretch === 0 ? node.options[0] : node.options[Math.floor(random() * node.options.length)];
      return option ? generate(option, random, stretch) : '';
    }
    case 'repeat': {
      const max = Math.min(node.max, node.min + openRepeat * Math.max(stretch, 1));
      const count = stretch === 0 ? node.min : node.min + Math.floor(random() * (max - node.min + 1));
      return Array.from({ length: count }, () => generate(node.node, random, stretch)).join('');
    }
    case 'chars':
      return pickChar(node, random);
    case 'empty':
      return '';
  }
}

function pickChar(node: { ranges: [number, number][]; negated: boolean }, random: Random): string {
  const allowed = node.negated ? complement(node.ranges) : node.ranges;
  // Letters and digits read best in a sample; other characters only when the set has nothing else.
  const readable = allowed.flatMap(([from, to]) => word.filter(([a, b]) => a <= to && b >= from).map(([a, b]): [number, number] => [Math.max(a, from), Math.min(b, to)]));
  const pool = readable.length > 0 ? readable : allowed;
  const total = pool.reduce((sum, [from, to]) => sum + to - from + 1, 0);
  let index = Math.floor(random() * total);
  for (const [from, to] of pool) {
    if (index <= to - from) return String.fromCodePoint(from + index);
    index -= to - from + 1;
  }
  return '';
}

function complement(ranges: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (let code = printable[0]; code <= printable[1]; code += 1) {
    if (ranges.some(([from, to]) => code >= from && code <= to)) continue;
    const last = out[out.length - 1];
    if (last && last[1] === code - 1) last[1] = code;
    else out.push([code, code]);
  }
  return out;
}

/** A recursive-descent reader of the regular-expression syntax JSON Schema patterns use. */
class PatternParser {
  private position = 0;

  constructor(private readonly source: string) {}

  parse(): Node {
    const node = this.choice();
    if (this.position < this.source.length) throw new UnsupportedPattern(`unexpected ${this.peek()} at ${this.position}`);
    return node;
  }

  private peek(): string | undefined {
    return this.source[this.position];
  }

  private choice(): Node {
    const options = [this.sequence()];
    while (this.peek() === '|') {
      this.position += 1;
      options.push(this.sequence());
    }
    return options.length === 1 ? (options[0] as Node) : { kind: 'choice', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.position < this.source.length && this.peek() !== '|' && this.peek() !== ')') items.push(this.quantified(this.atom()));
    return { kind: 'sequence', items };
  }

  private quantified(node: Node): Node {
    const char = this.peek();
    let bounds: [number, number] | undefined;
    if (char === '*') bounds = [0, Infinity];
    else if (char === '+') bounds = [1, Infinity];
    else if (char === '?') bounds = [0, 1];
    else if (char === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.position));
      if (!match) return node;
      const min = Number(match[1]);
      bounds = [min, match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3])];
      this.position += match[0].length - 1;
    }
    if (!bounds) return node;
    this.position += 1;
    // Lazy and possessive markers change how a match is found, not which strings match.
    if (this.peek() === '?' || this.peek() === '+') this.position += 1;
    return { kind: 'repeat', node, min: bounds[0], max: bounds[1] };
  }

  private atom(): Node {
    const char = this.source[this.position++] as string;
    if (char === '^' || char === '$') return { kind: 'empty' };
    if (char === '.') return { kind: 'chars', ranges: [printable], negated: false };
    if (char === '[') return this.charClass();
    if (char === '\\') return this.escape(false);
    if (char === '(') {
      if (this.source.startsWith('?:', this.position)) this.position += 2;
      else if (/^\?<[A-Za-z]/.test(this.source.slice(this.position))) this.position = this.source.indexOf('>', this.position) + 1;
      else if (this.peek() === '?') throw new UnsupportedPattern('lookaround');
      const node = this.choice();
      if (this.source[this.position++] !== ')') throw new UnsupportedPattern('unclosed group');
      return node;
    }
    return literal(char);
  }

  private charClass(): Node {
    const negated = this.peek() === '^';
    if (negated) this.position += 1;
    const ranges: [number, number][] = [];
    let first = true;
    while (this.position < this.source.length && (this.peek() !== ']' || first)) {
      first = false;
      const start = this.classAtom();
      if (this.peek() === '-' && this.source[this.position + 1] !== ']' && start.length === 1) {
        this.position += 1;
        const end = this.classAtom();
        const [from] = start[0] as [number, number];
        const [to] = (end[0] ?? [from, from]) as [number, number];
        ranges.push([from, Math.max(from, to)]);
      } else ranges.push(...start);
    }
    if (this.source[this.position++] !== ']') throw new UnsupportedPattern('unclosed class');
    return { kind: 'chars', ranges, negated };
  }

  private classAtom(): [number, number][] {
    const char = this.source[this.position++] as string;
    if (char !== '\\') return [[char.codePointAt(0) as number, char.codePointAt(0) as number]];
    const node = this.escape(true);
    return node.kind === 'chars' && !node.negated ? node.ranges : complementOf(node);
  }

  private escape(inClass: boolean): Node {
    const char = this.source[this.position++];
    if (char === undefined) throw new UnsupportedPattern('trailing backslash');
    const classes: Record<string, [number, number][]> = { d: digit, w: word, s: space };
    const lower = char.toLowerCase();
    if (lower in classes) return { kind: 'chars', ranges: classes[lower] as [number, number][], negated: char !== lower };
    if (/[1-9]/.test(char) || (char === 'k' && !inClass)) throw new UnsupportedPattern('backreference');
    if ((char === 'b' || char === 'B') && !inClass) return { kind: 'empty' };
    const controls: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', b: '\b', '0': '\0' };
    if (char in controls) return literal(controls[char] as string);
    const hex = char === 'x' ? /^[0-9A-Fa-f]{2}/.exec(this.source.slice(this.position)) : char === 'u' ? /^[0-9A-Fa-f]{4}/.exec(this.source.slice(this.position)) : null;
    if (hex) {
      this.position += hex[0].length;
      return literal(String.fromCodePoint(Number.parseInt(hex[0], 16)));
    }
    return literal(char);
  }
}

function literal(char: string): Node {
  const code = char.codePointAt(0) as number;
  return { kind: 'chars', ranges: [[code, code]], negated: false };
}

function complementOf(node: Node): [number, number][] {
  return node.kind === 'chars' ? complement(node.ranges) : [];
}
