import { describedMaxLength, strictSchemaProblems, toStrictSchema } from './strict-schema';

describe('strict structured-output schemas', () => {
  const copy = {
    type: 'object',
    properties: {
      title: { type: 'string', maxLength: 60 },
      body: { type: 'string', description: 'The message.', minLength: 1, maxLength: 180 },
    },
    required: ['title', 'body'],
    additionalProperties: false,
  };
  const related = {
    type: 'object',
    properties: { related: { type: 'array', items: { type: 'string', maxLength: 40 }, maxItems: 5 } },
    required: ['related'],
    additionalProperties: false,
  };

  it('names every keyword a strict endpoint refuses, where OpenAI names it', () => {
    expect(strictSchemaProblems(copy)).toEqual([
      "In context=('properties', 'title'), 'maxLength' is not permitted",
      "In context=('properties', 'body'), 'minLength' is not permitted",
      "In context=('properties', 'body'), 'maxLength' is not permitted",
    ]);
    expect(strictSchemaProblems(related)).toEqual([
      "In context=('properties', 'related'), 'maxItems' is not permitted",
      "In context=('properties', 'related', 'items'), 'maxLength' is not permitted",
    ]);
  });

  it('keeps the structure and says the bounds in the descriptions, which the model reads', () => {
    const strict = toStrictSchema(copy);
    expect(strict).toEqual({
      type: 'object',
      properties: {
        title: { type: 'string', description: 'At most 60 characters.' },
        body: { type: 'string', description: 'The message. At least 1 characters. At most 180 characters.' },
      },
      required: ['title', 'body'],
      additionalProperties: false,
    });
    expect(strictSchemaProblems(strict)).toEqual([]);
    expect(toStrictSchema(related)).toEqual({
      type: 'object',
      properties: {
        related: {
          type: 'array',
          items: { type: 'string', description: 'At most 40 characters.' },
          description: 'At most 5 items.',
        },
      },
      required: ['related'],
      additionalProperties: false,
    });
    // The schema the prompt built is left as it was.
    expect(copy.properties.title).toEqual({ type: 'string', maxLength: 60 });
  });

  it('reads back the length a strict schema says in words', () => {
    const strict = toStrictSchema(copy) as { properties: Record<string, unknown> };
    expect(describedMaxLength(strict.properties.title)).toBe(60);
    expect(describedMaxLength(strict.properties.body)).toBe(180);
    expect(describedMaxLength({ type: 'string' })).toBeUndefined();
  });
});
