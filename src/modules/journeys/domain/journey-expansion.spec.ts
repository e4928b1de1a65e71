import { buildExpansionPrompt, expansionKey, parseExpansionReply } from './journey-expansion';
import { DEFAULT_SAFETY_POLICY } from './journey-safety';

const reply = (related: unknown) => JSON.stringify({ related });
const good = ['Bathroom Remodel', 'Home Office Setup', 'Garden Design', 'Paint Colours', 'Lighting Ideas'];

describe('expansionKey', () => {
  it('normalises case, punctuation and width', () => {
    expect(expansionKey('Kitchen  Renovation!', 'en-US')).toBe(expansionKey('ｋitchen renovation', 'EN-us'));
  });
});

describe('buildExpansionPrompt', () => {
  it('delimits the journey name', () => {
    const prompt = buildExpansionPrompt('Kitchen "Renovation"', 'en');
    expect(prompt.user).toContain('<journey>\n"Kitchen \\"Renovation\\""\n</journey>');
  });

  it('lets a reply of the most names at the longest length run to a token or more per character (Japanese, Thai)', () => {
    const { maxTokens } = buildExpansionPrompt('キッチンリフォーム', 'ja-JP');
    expect(maxTokens).toBeGreaterThanOrEqual(10 * 40 + 10 * 3);
  });
});

describe('parseExpansionReply', () => {
  const parse = (text: string) => parseExpansionReply(text, 'Kitchen Renovation', DEFAULT_SAFETY_POLICY);

  it('keeps valid, distinct suggestions and reports the rest', () => {
    const result = parse(
      reply([...good, 'kitchen renovation', 'Bathroom remodel', 'Debt Relief Plans', 'see x.com', 42]),
    );
    expect(result).toEqual({
      ok: true,
      related: good,
      rejected: ['kitchen renovation', 'Bathroom remodel', 'Debt Relief Plans', 'see x.com', '42'],
    });
  });

  it('caps the list at the maximum', () => {
    const many = Array.from({ length: 14 }, (_, i) => `Garden Project ${i + 1}`);
    const result = parse(reply(many));
    expect(result.ok && result.related).toHaveLength(10);
  });

  it.each([
    ['not JSON', 'Bathroom Remodel', 'reply is not JSON'],
    ['wrong shape', reply('Bathroom Remodel'), 'related is not an array'],
    ['too few usable', reply(good.slice(0, 4)), 'only 4 usable related journeys'],
  ])('fails on %s', (_case, text, reason) => {
    expect(parse(text)).toEqual({ ok: false, reason });
  });
});
