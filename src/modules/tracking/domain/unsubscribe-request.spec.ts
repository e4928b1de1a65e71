import { answersWithPage, parseUnsubscribeRequest } from './unsubscribe-request';

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

describe('answersWithPage', () => {
  const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8';
  it.each([
    ['a browser submitting the form', { accept: BROWSER, fetchDest: 'document' }, true],
    ['a browser that sends no fetch metadata', { accept: BROWSER }, true],
    ['a document fetch accepting anything', { accept: '*/*', fetchDest: 'document' }, true],
    ['a one-click POST without Accept', {}, false],
    ['a one-click POST accepting anything', { accept: '*/*' }, false],
    ['an API client asking for JSON', { accept: 'application/json' }, false],
    ['a client preferring JSON to HTML', { accept: 'application/json, text/html;q=0.5' }, false],
    ['a +json media type', { accept: 'application/problem+json' }, false],
    ['a client preferring HTML to JSON', { accept: 'text/html, application/json;q=0.5' }, true],
    ['JSON refused outright', { accept: 'application/json;q=0, text/html' }, true],
  ])('%s', (_who, headers, page) => {
    expect(answersWithPage(headers)).toBe(page);
  });
});
