/**
 * The subset of the Handlebars syntax tree the checker reads, as plain types: the engine wrapper
 * parses, this folder walks. Lines are 1-based and columns 0-based, as the parser reports them.
 */
export interface Position {
  line: number;
  column: number;
}

export interface SourceLocation {
  start: Position;
  end: Position;
}

export interface Program {
  type: 'Program';
  body: Statement[];
  blockParams?: string[];
  loc?: SourceLocation;
}

export interface PathExpression {
  type: 'PathExpression';
  /** `@index`, `@root.user`: a data variable. */
  data: boolean;
  /** Number of `../` segments. */
  depth: number;
  /** Segments after `this`/`..`; empty for `this`. */
  parts: string[];
  original: string;
  loc: SourceLocation;
}

export interface Literal {
  type: 'StringLiteral' | 'NumberLiteral' | 'BooleanLiteral' | 'UndefinedLiteral' | 'NullLiteral';
  value?: string | number | boolean;
  original?: string | number | boolean;
  loc: SourceLocation;
}

export interface HashPair {
  key: string;
  value: Expression;
  loc: SourceLocation;
}

export interface Hash {
  pairs: HashPair[];
  loc: SourceLocation;
}

export interface SubExpression {
  type: 'SubExpression';
  path: Expression;
  params: Expression[];
  hash?: Hash;
  loc: SourceLocation;
}

export type Expression = PathExpression | SubExpression | Literal;

/** What mustaches, blocks and sub-expressions share: a head, arguments and options. */
export interface Call {
  path: Expression;
  params: Expression[];
  hash?: Hash;
  loc: SourceLocation;
}

export interface MustacheStatement extends Call {
  type: 'MustacheStatement' | 'Decorator';
  /** False for `{{{triple-stash}}}`, which is never escaped. */
  escaped: boolean;
}

export interface BlockStatement extends Call {
  type: 'BlockStatement' | 'DecoratorBlock';
  program?: Program;
  inverse?: Program;
}

export interface PartialStatement {
  type: 'PartialStatement' | 'PartialBlockStatement';
  name: Expression;
  params: Expression[];
  hash?: Hash;
  program?: Program;
  loc: SourceLocation;
}

export interface ContentStatement {
  type: 'ContentStatement' | 'CommentStatement';
  /** The literal text (of a content statement). */
  value?: string;
  loc: SourceLocation;
}

export type Statement = MustacheStatement | BlockStatement | PartialStatement | ContentStatement;
