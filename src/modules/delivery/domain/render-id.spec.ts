import type { RenderedPush } from '../../templates/template.types';
import { renderIdOf } from './render-id';

const push: RenderedPush = {
  channel: 'push',
  title: 'Kitchen Remodel',
  body: 'Three new ideas',
  data: {},
  links: [],
  truncated: [],
  template: { ref: 'push/journey', locale: 'default', hash: 'abc' },
};

describe('renderIdOf', () => {
  it('gives equal renders one id and different renders different ids', () => {
    expect(renderIdOf({ ...push })).toBe(renderIdOf(push));
    expect(renderIdOf({ ...push, body: 'Four new ideas' })).not.toBe(renderIdOf(push));
    expect(renderIdOf(push)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
