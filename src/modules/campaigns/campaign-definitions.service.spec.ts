import { shownPath } from './campaign-definitions.service';

describe('shownPath', () => {
  it('names a file beneath the working directory relative to it', () => {
    expect(shownPath('/srv/app/campaigns/news.yaml', '/srv/app')).toBe('campaigns/news.yaml');
    expect(shownPath('campaigns/news.yaml', '/srv/app')).toBe('campaigns/news.yaml');
  });

  it('names a file outside the working directory by its absolute path', () => {
    expect(shownPath('/tmp/campaigns/news.yaml', '/srv/app')).toBe('/tmp/campaigns/news.yaml');
    expect(shownPath('../other/news.yaml', '/srv/app')).toBe('/srv/other/news.yaml');
  });

  it('keeps a name that merely starts with two dots relative', () => {
    expect(shownPath('/srv/app/..news.yaml', '/srv/app')).toBe('..news.yaml');
  });
});
