/** The syntax tree of a Data Prep expression, e.g. `iif(status.equals("paid"), upper(name), "n/a")`. */
export type Expression =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'field'; path: string }
  | { kind: 'call'; name: string; args: Expression[] }
  | { kind: 'method'; target: Expression; name: string; args: Expression[] }
  | { kind: 'index'; target: Expression; index: Expression }
  | { kind: 'unary'; op: '!' | '-'; operand: Expression }
  | { kind: 'binary'; op: BinaryOperator; left: Expression; right: Expression };

export type BinaryOperator = '||' | '&&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%';

export class ExpressionError extends Error {
  constructor(message: string, readonly position: number) {
    super(`${message} at character ${position + 1}`);
    this.name = 'ExpressionError';
  }
}
