/**
 * The JSON Schema a reply must follow, as OpenAI-compatible endpoints take it under strict structured outputs.
 *
 * Strict mode takes a subset of JSON Schema, and answers a request whose schema has a keyword outside it with a
 * 400 (`In context=('properties', 'title'), 'maxLength' is not permitted`); compatible endpoints (Azure OpenAI,
 * self-hosted servers) take fewer keywords still. So a prompt's schema travels as its structure alone, and its
 * bounds (a string's length, a list's size) as words of the description, which the model reads. The product
 * checks every reply against the bounds itself.
 */

type Schema = Record<string, unknown>;

/** Keywords of the structure, which every endpoint with strict structured outputs takes. */
const STRUCTURAL = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'anyOf',
  '$ref',
  '$defs',
  'definitions',
  'description',
  'title',
]);

/** Bounds said in words instead, in this order. */
const BOUNDS: ReadonlyArray<[keyword: string, words: (n: number) => string]> = [
  ['minLength', (n) => `At least ${n} characters.`],
  ['maxLength', (n) => `At most ${n} characters.`],
  ['minItems', (n) => `At least ${n} items.`],
  ['maxItems', (n) => `At most ${n} items.`],
];

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Where a nested schema sits in its parent, with its context (the path OpenAI's errors name). */
function children(schema: Schema): Array<[context: string[], child: Schema]> {
  const found: Array<[string[], Schema]> = [];
  for (const key of ['properties', '$defs', 'definitions']) {
    const map = schema[key];
    if (isSchema(map)) {
      for (const [name, child] of Object.entries(map)) if (isSchema(child)) found.push([[key, name], child]);
    }
  }
  if (isSchema(schema.items)) found.push([['items'], schema.items]);
  if (isSchema(schema.additionalProperties)) found.push([['additionalProperties'], schema.additionalProperties]);
  if (Array.isArray(schema.anyOf)) {
    schema.anyOf.forEach((child, i) => isSchema(child) && found.push([['anyOf', String(i)], child]));
  }
  return found;
}

/** A schema of the structural subset only, its bounds moved into its descriptions. */
export function toStrictSchema(schema: Schema): Schema {
  const strict = (value: unknown) => (isSchema(value) ? toStrictSchema(value) : value);
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!STRUCTURAL.has(key)) continue;
    if ((key === 'properties' || key === '$defs' || key === 'definitions') && isSchema(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, strict(child)]));
    } else if (key === 'items' || key === 'additionalProperties') out[key] = strict(value);
    else if (key === 'anyOf' && Array.isArray(value)) out[key] = value.map(strict);
    else out[key] = value;
  }
  const words = BOUNDS.filter(([keyword]) => typeof schema[keyword] === 'number').map(([keyword, say]) =>
    say(schema[keyword] as number),
  );
  if (words.length > 0) {
    const described = typeof schema.description === 'string' && schema.description.length > 0;
    out.description = [...(described ? [schema.description as string] : []), ...words].join(' ');
  }
  return out;
}

/**
 * The keywords of `schema` outside the structural subset, each as OpenAI's error names it (`In
 * context=('properties', 'title'), 'maxLength' is not permitted`): what a strict endpoint refuses.
 */
export function strictSchemaProblems(schema: Schema, context: readonly string[] = []): string[] {
  const here = `In context=(${context.map((c) => `'${c}'`).join(', ')}), `;
  const problems = Object.keys(schema)
    .filter((key) => !STRUCTURAL.has(key))
    .map((key) => `${here}'${key}' is not permitted`);
  for (const [path, child] of children(schema)) problems.push(...strictSchemaProblems(child, [...context, ...path]));
  return problems;
}

/** The longest a string of this schema may be, as a strict schema says it in words; undefined when unsaid. */
export function describedMaxLength(schema: unknown): number | undefined {
  if (!isSchema(schema) || typeof schema.description !== 'string') return undefined;
  const match = /At most (\d+) characters\./.exec(schema.description);
  return match ? Number(match[1]) : undefined;
}
