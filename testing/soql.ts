/**
 * The SoQL subset Lakefront's ingest uses, implemented the way the portal behaves, for the
 * project's own SODA test server: `$select`, `$where` (comparisons, AND/OR/NOT, parentheses,
 * quoted strings with '' escaping, IS [NOT] NULL, system fields) and `$order`.
 */
export type SodaType = 'text' | 'number' | 'checkbox' | 'floating_timestamp' | 'fixed_timestamp' | 'point' | 'multipolygon' | 'url';

export type Row = Record<string, unknown>;

export const SYSTEM_FIELDS: Readonly<Record<string, SodaType>> = {
  ':id': 'text',
  ':version': 'text',
  ':created_at': 'fixed_timestamp',
  ':updated_at': 'fixed_timestamp',
};

/** A query error, answered as a Socrata error body. */
export class SoqlError extends Error {
  constructor(
    readonly code: 'query.compiler.malformed' | 'query.soql.no-such-column' | 'query.soql.type-mismatch',
    message: string,
  ) {
    super(message);
  }
}

type Token =
  | { kind: 'string'; text: string }
  | { kind: 'number'; text: string }
  | { kind: 'word'; text: string }
  | { kind: 'symbol'; text: string };

const SYMBOLS = ['<=', '>=', '!=', '<>', '=', '<', '>', '(', ')', ','];

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const char = source[at]!;
    if (/\s/.test(char)) {
      at += 1;
    } else if (char === "'") {
      let text = '';
      at += 1;
      for (;;) {
        if (at >= source.length) throw new SoqlError('query.compiler.malformed', `unterminated string in "${source}"`);
        if (source[at] === "'") {
          if (source[at + 1] === "'") {
            text += "'";
            at += 2;
            continue;
          }
          at += 1;
          break;
        }
        text += source[at];
        at += 1;
      }
      tokens.push({ kind: 'string', text });
    } else if (/[-\d]/.test(char) && /^-?\d/.test(source.slice(at, at + 2))) {
      const match = /^-?\d+(\.\d+)?/.exec(source.slice(at))!;
      tokens.push({ kind: 'number', text: match[0] });
      at += match[0].length;
    } else if (/[:@*A-Za-z_]/.test(char)) {
      const match = /^(:\*|\*|:?@?[A-Za-z_][\w@]*)/.exec(source.slice(at));
      if (!match) throw new SoqlError('query.compiler.malformed', `unexpected "${char}" in "${source}"`);
      tokens.push({ kind: 'word', text: match[0] });
      at += match[0].length;
    } else {
      const symbol = SYMBOLS.find((candidate) => source.startsWith(candidate, at));
      if (!symbol) throw new SoqlError('query.compiler.malformed', `unexpected "${char}" in "${source}"`);
      tokens.push({ kind: 'symbol', text: symbol });
      at += symbol.length;
    }
  }
  return tokens;
}

/** Three-valued, as in SQL: a comparison with NULL is neither true nor false. */
type Truth = boolean | null;
export type Predicate = (row: Row) => Truth;
type Literal = { literal: string | boolean | null; literalKind: 'string' | 'number' | 'boolean' | 'null' };
type Operand = { column: string; type: SodaType } | Literal;

const KEYWORDS = new Set(['and', 'or', 'not', 'is', 'null', 'true', 'false', 'asc', 'desc']);

class Parser {
  private at = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly types: ReadonlyMap<string, SodaType>,
    private readonly source: string,
  ) {}

  done(): boolean {
    return this.at >= this.tokens.length;
  }

  private peekWord(word: string): boolean {
    const token = this.tokens[this.at];
    return token?.kind === 'word' && token.text.toLowerCase() === word;
  }

  private peekSymbol(symbol: string): boolean {
    const token = this.tokens[this.at];
    return token?.kind === 'symbol' && token.text === symbol;
  }

  private next(): Token {
    const token = this.tokens[this.at];
    if (!token) throw this.malformed('unexpected end of query');
    this.at += 1;
    return token;
  }

  malformed(reason: string): SoqlError {
    return new SoqlError('query.compiler.malformed', `${reason} in "${this.source}"`);
  }

  expect(symbol: string): void {
    if (!this.peekSymbol(symbol)) throw this.malformed(`expected "${symbol}"`);
    this.at += 1;
  }

  orExpression(): Predicate {
    let left = this.andExpression();
    while (this.peekWord('or')) {
      this.at += 1;
      const [a, b] = [left, this.andExpression()];
      left = (row) => {
        const x = a(row);
        if (x === true) return true;
        const y = b(row);
        return y === true ? true : x === null || y === null ? null : false;
      };
    }
    return left;
  }

  private andExpression(): Predicate {
    let left = this.notExpression();
    while (this.peekWord('and')) {
      this.at += 1;
      const [a, b] = [left, this.notExpression()];
      left = (row) => {
        const x = a(row);
        if (x === false) return false;
        const y = b(row);
        return y === false ? false : x === null || y === null ? null : true;
      };
    }
    return left;
  }

  private notExpression(): Predicate {
    if (this.peekWord('not')) {
      this.at += 1;
      const inner = this.notExpression();
      return (row) => {
        const value = inner(row);
        return value === null ? null : !value;
      };
    }
    if (this.peekSymbol('(')) {
      this.at += 1;
      const inner = this.orExpression();
      this.expect(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Predicate {
    const left = this.operand();
    if (this.peekWord('is')) {
      this.at += 1;
      const negate = this.peekWord('not');
      if (negate) this.at += 1;
      if (!this.peekWord('null')) throw this.malformed('expected NULL after IS');
      this.at += 1;
      return (row) => (valueOf(left, row) === null) !== negate;
    }
    const token = this.next();
    if (token.kind !== 'symbol' || !['=', '!=', '<>', '<', '<=', '>', '>='].includes(token.text)) {
      throw this.malformed(`expected a comparison operator, got "${token.text}"`);
    }
    const right = this.operand();
    const type = 'column' in left ? left.type : 'column' in right ? right.type : 'text';
    const compare = comparatorFor(type);
    const operator = token.text;
    const a = 'column' in left ? null : coerceLiteral(left, type);
    const b = 'column' in right ? null : coerceLiteral(right, type);
    return (row) => {
      const x = a ?? valueOf(left, row);
      const y = b ?? valueOf(right, row);
      if (x === null || y === null) return null;
      const order = compare(x, y);
      switch (operator) {
        case '=':
          return order === 0;
        case '!=':
        case '<>':
          return order !== 0;
        case '<':
          return order < 0;
        case '<=':
          return order <= 0;
        case '>':
          return order > 0;
        default:
          return order >= 0;
      }
    };
  }

  private operand(): Operand {
    const token = this.next();
    if (token.kind === 'string') return { literal: token.text, literalKind: 'string' };
    if (token.kind === 'number') return { literal: token.text, literalKind: 'number' };
    if (token.kind === 'word') {
      const lower = token.text.toLowerCase();
      if (lower === 'true' || lower === 'false') return { literal: lower === 'true', literalKind: 'boolean' };
      if (lower === 'null') return { literal: null, literalKind: 'null' };
      if (!KEYWORDS.has(lower)) return { column: token.text, type: columnType(this.types, token.text) };
    }
    throw this.malformed(`unexpected "${token.text}"`);
  }

  /** `$order`: `column [ASC|DESC], …`. */
  orderKeys(): { column: string; type: SodaType; descending: boolean }[] {
    const keys = [];
    do {
      const token = this.next();
      if (token.kind !== 'word' || KEYWORDS.has(token.text.toLowerCase())) throw this.malformed(`cannot order by "${token.text}"`);
      let descending = false;
      if (this.peekWord('asc') || this.peekWord('desc')) descending = this.next().text.toLowerCase() === 'desc';
      keys.push({ column: token.text, type: columnType(this.types, token.text), descending });
    } while (this.peekSymbol(',') && this.next());
    return keys;
  }

  /** `$select`: `:*`, `*` or column names. */
  selection(): string[] {
    const columns: string[] = [];
    do {
      const token = this.next();
      if (token.kind !== 'word') throw this.malformed(`cannot select "${token.text}"`);
      if (token.text === ':*') columns.push(...Object.keys(SYSTEM_FIELDS));
      else if (token.text === '*') columns.push(...[...this.types.keys()].filter((name) => !name.startsWith(':')));
      else {
        columnType(this.types, token.text);
        columns.push(token.text);
      }
    } while (this.peekSymbol(',') && this.next());
    return [...new Set(columns)];
  }
}

function columnType(types: ReadonlyMap<string, SodaType>, column: string): SodaType {
  const type = types.get(column);
  if (!type) throw new SoqlError('query.soql.no-such-column', `No such column: ${column}`);
  return type;
}

function valueOf(operand: Operand, row: Row): unknown {
  if ('column' in operand) return row[operand.column] ?? null;
  return operand.literal;
}

function coerceLiteral(operand: Literal, type: SodaType): unknown {
  const { literal } = operand;
  if (literal === null) return null;
  if (type === 'number' && Number.isNaN(Number(literal))) throw new SoqlError('query.soql.type-mismatch', `"${String(literal)}" is not a number`);
  if (type === 'floating_timestamp' && floating(literal) === null) {
    throw new SoqlError('query.soql.type-mismatch', `"${String(literal)}" is not a floating timestamp`);
  }
  if (type === 'fixed_timestamp' && Number.isNaN(Date.parse(String(literal)))) {
    throw new SoqlError('query.soql.type-mismatch', `"${String(literal)}" is not a timestamp`);
  }
  return literal;
}

/** `2014-03-01` and `2014-03-01T00:00:00.000` are the same floating timestamp. */
function floating(value: unknown): string | null {
  const match = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/.exec(String(value));
  if (!match) return null;
  const [, day, h = '00', m = '00', s = '00', ms = '0'] = match;
  return `${day}T${h}:${m}:${s}.${ms.padEnd(3, '0')}`;
}

type Comparator = (a: unknown, b: unknown) => number;

export function comparatorFor(type: SodaType): Comparator {
  switch (type) {
    case 'number':
      return (a, b) => Number(a) - Number(b);
    case 'checkbox':
      return (a, b) => Number(a === true || a === 'true') - Number(b === true || b === 'true');
    case 'floating_timestamp':
      return (a, b) => compareText(floating(a) ?? String(a), floating(b) ?? String(b));
    case 'fixed_timestamp':
      return (a, b) => {
        const [x, y] = [String(a), String(b)];
        // Same-shaped UTC instants (`…sssZ`, the portal's form) order as text; parsing is slow.
        if (x.length === y.length && x.endsWith('Z') && y.endsWith('Z')) return compareText(x, y);
        return Date.parse(x) - Date.parse(y) || compareText(x, y);
      };
    case 'text':
      return (a, b) => compareText(String(a), String(b));
    default:
      return () => {
        throw new SoqlError('query.soql.type-mismatch', `cannot compare values of type ${type}`);
      };
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function parseWhere(source: string, types: ReadonlyMap<string, SodaType>): Predicate {
  const parser = new Parser(tokenize(source), types, source);
  const predicate = parser.orExpression();
  if (!parser.done()) throw parser.malformed('unexpected text after the condition');
  return predicate;
}

/** A row comparator for `$order`; NULLs sort last ascending, first descending (as in PostgreSQL). */
export function parseOrder(source: string, types: ReadonlyMap<string, SodaType>): (a: Row, b: Row) => number {
  const parser = new Parser(tokenize(source), types, source);
  const keys = parser.orderKeys().map((key) => ({ ...key, compare: comparatorFor(key.type) }));
  if (!parser.done()) throw parser.malformed('unexpected text after the order');
  return (a, b) => {
    for (const key of keys) {
      const x = a[key.column] ?? null;
      const y = b[key.column] ?? null;
      let order: number;
      if (x === null || y === null) order = x === y ? 0 : x === null ? 1 : -1;
      else order = key.compare(x, y);
      if (order !== 0) return key.descending ? -order : order;
    }
    return 0;
  };
}

export function parseSelect(source: string, types: ReadonlyMap<string, SodaType>): string[] {
  const parser = new Parser(tokenize(source), types, source);
  const columns = parser.selection();
  if (!parser.done()) throw parser.malformed('unexpected text after the selection');
  return columns;
}
