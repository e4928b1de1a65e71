import { parseUnsubscribeRequest } from './unsubscribe-request';

describe('parseUnsubscribeRequest', () => {
  it.each([
    [
      { scope: 'category', lang: 'fr' },
      { ok: true, scope: 'category', source: 'page' },
    ],
    [{ scope: 'all' }, { ok: true, scope: 'all', source: 'page' }],
    [{ 'List-Unsubscribe': 'One-Click' }, { ok: true, scope: 'category', source: 'one-click' }],
    [{ scope: 'everything' }, { ok: false, field: 'scope' }],
    [{ 'List-Unsubscribe': 'one-click-please' }, { ok: false, field: 'List-Unsubscribe' }],
    [{}, { ok: false, field: 'scope' }],
  ])('%j', (fields, expected) => {
    expect(parseUnsubscribeRequest(fields)).toEqual(expected);
  });
});
