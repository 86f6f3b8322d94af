import { ExpressionError, type BinaryOperator, type Expression } from './expression.js';
import { functionArity, methodArity } from './functions.js';

type Token =
  | { type: 'number'; value: number; pos: number }
  | { type: 'string'; value: string; pos: number }
  | { type: 'name'; value: string; pos: number; quoted: boolean }
  | { type: 'op'; value: string; pos: number };

const wordOperators: Record<string, string> = { and: '&&', or: '||', not: '!', eq: '==', ne: '!=', lt: '<', gt: '>', le: '<=', ge: '>=', div: '/', mod: '%' };

/** Parses a Data Prep expression; names that are not identifiers are written `${First Name}`. */
export function parseExpression(source: string): Expression {
  const parser = new Parser(tokenize(source), source.length);
  const expression = parser.expression();
  parser.end();
  return expression;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i] as string;
    if (/\s/.test(char)) {
      i += 1;
    } else if (/\d/.test(char)) {
      const match = /^\d+(\.\d+)?/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ type: 'number', value: Number(match[0]), pos: i });
      i += match[0].length;
    } else if (char === '"' || char === "'") {
      let j = i + 1;
      let value = '';
      while (j < source.length && source[j] !== char) {
        if (source[j] === '\\' && j + 1 < source.length) j += 1;
        value += source[j];
        j += 1;
      }
      if (j >= source.length) throw new ExpressionError('unterminated string', i);
      tokens.push({ type: 'string', value, pos: i });
      i = j + 1;
    } else if (char === '$' && source[i + 1] === '{') {
      const end = source.indexOf('}', i + 2);
      if (end < 0) throw new ExpressionError('unterminated ${...} name', i);
      tokens.push({ type: 'name', value: source.slice(i + 2, end), pos: i, quoted: true });
      i = end + 1;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][\w]*/.exec(source.slice(i)) as RegExpExecArray;
      const word = match[0];
      const operator = Object.hasOwn(wordOperators, word) ? wordOperators[word] : undefined;
      if (operator) tokens.push({ type: 'op', value: operator, pos: i });
      else tokens.push({ type: 'name', value: word, pos: i, quoted: false });
      i += word.length;
    } else {
      const two = source.slice(i, i + 2);
      if (['==', '!=', '<=', '>=', '&&', '||'].includes(two)) {
        tokens.push({ type: 'op', value: two, pos: i });
        i += 2;
      } else if ('+-*/%<>!(),.[]'.includes(char)) {
        tokens.push({ type: 'op', value: char, pos: i });
        i += 1;
      } else throw new ExpressionError(`unexpected character "${char}"`, i);
    }
  }
  return tokens;
}

const precedence: [BinaryOperator[], number][] = [
  [['||'], 1],
  [['&&'], 2],
  [['==', '!=', '<', '>', '<=', '>='], 3],
  [['+', '-'], 4],
  [['*', '/', '%'], 5],
];

/** Deeper nesting than any real mapping needs; past it, recursion would exhaust the stack. */
const maxDepth = 64;

class Parser {
  private index = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[], private readonly length: number) {}

  expression(level = 1): Expression {
    if (level === 1) {
      this.depth += 1;
      if (this.depth > maxDepth) throw new ExpressionError(`the expression nests deeper than ${maxDepth} levels`, this.peek()?.pos ?? this.length);
      try {
        return this.binary(level);
      } finally {
        this.depth -= 1;
      }
    }
    return this.binary(level);
  }

  private binary(level: number): Expression {
    if (level > precedence.length) return this.unary();
    let left = this.expression(level + 1);
    const operators = precedence[level - 1]?.[0] ?? [];
    for (;;) {
      const token = this.peek();
      if (token?.type !== 'op' || !operators.includes(token.value as BinaryOperator)) return left;
      this.index += 1;
      left = { kind: 'binary', op: token.value as BinaryOperator, left, right: this.expression(level + 1) };
    }
  }

  end(): void {
    const token = this.peek();
    if (token) throw new ExpressionError(`unexpected "${String(token.value)}"`, token.pos);
  }

  private unary(): Expression {
    const token = this.peek();
    if (token?.type === 'op' && (token.value === '!' || token.value === '-')) {
      this.index += 1;
      this.depth += 1;
      if (this.depth > maxDepth) throw new ExpressionError(`the expression nests deeper than ${maxDepth} levels`, token.pos);
      try {
        return { kind: 'unary', op: token.value, operand: this.unary() };
      } finally {
        this.depth -= 1;
      }
    }
    return this.postfix(this.primary());
  }

  private postfix(target: Expression): Expression {
    for (;;) {
      const token = this.peek();
      if (token?.type === 'op' && token.value === '[') {
        this.index += 1;
        const index = this.expression();
        this.expect(']');
        target = { kind: 'index', target, index };
      } else if (token?.type === 'op' && token.value === '.') {
        this.index += 1;
        const name = this.take();
        if (name.type !== 'name') throw new ExpressionError('expected a name after "."', name.pos);
        if (this.isOp('(')) {
          const args = this.args();
          const arity = Object.hasOwn(methodArity, name.value) ? methodArity[name.value] : undefined;
          if (!arity) throw new ExpressionError(`unknown method "${name.value}"`, name.pos);
          checkArity(name.value, args.length, arity, name.pos);
          target = { kind: 'method', target, name: name.value, args };
        } else if (target.kind === 'field') {
          target = { kind: 'field', path: `${target.path}.${name.value}` };
        } else throw new ExpressionError(`"${name.value}" must be a method call here`, name.pos);
      } else return target;
    }
  }

  private primary(): Expression {
    const token = this.take();
    if (token.type === 'number' || token.type === 'string') return { kind: 'literal', value: token.value };
    if (token.type === 'op') {
      if (token.value !== '(') throw new ExpressionError(`unexpected "${token.value}"`, token.pos);
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    if (!token.quoted) {
      if (token.value === 'true' || token.value === 'false') return { kind: 'literal', value: token.value === 'true' };
      if (token.value === 'null') return { kind: 'literal', value: null };
      if (this.isOp('(')) {
        const args = this.args();
        const arity = Object.hasOwn(functionArity, token.value) ? functionArity[token.value] : undefined;
        if (!arity) throw new ExpressionError(`unknown function "${token.value}"`, token.pos);
        checkArity(token.value, args.length, arity, token.pos);
        return { kind: 'call', name: token.value, args };
      }
    }
    return { kind: 'field', path: token.value };
  }

  private args(): Expression[] {
    this.expect('(');
    const args: Expression[] = [];
    if (this.isOp(')')) {
      this.index += 1;
      return args;
    }
    for (;;) {
      args.push(this.expression());
      if (this.isOp(',')) this.index += 1;
      else {
        this.expect(')');
        return args;
      }
    }
  }

  private isOp(value: string): boolean {
    const token = this.peek();
    return token?.type === 'op' && token.value === value;
  }

  private expect(value: string): void {
    const token = this.take();
    if (token.type !== 'op' || token.value !== value) throw new ExpressionError(`expected "${value}"`, token.pos);
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private take(): Token {
    const token = this.tokens[this.index];
    if (!token) throw new ExpressionError('unexpected end of expression', this.length);
    this.index += 1;
    return token;
  }
}

function checkArity(name: string, count: number, [min, max]: readonly [number, number], pos: number): void {
  if (count < min || count > max) {
    throw new ExpressionError(`${name} takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${count}`, pos);
  }
}
