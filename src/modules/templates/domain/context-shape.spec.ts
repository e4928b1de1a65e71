import { ContextShape } from '../template.types';
import { elementShape, resolvePath, suggestion } from './context-shape';

const SHAPE: ContextShape = {
  user: { firstName: 'value', attributes: '*' },
  journeys: [{ name: 'value', keywords: ['value'] }],
};

describe('resolvePath', () => {
  it.each([
    [['user', 'firstName'], { shape: 'value' }],
    [['user', 'attributes', 'plan', 'tier'], { shape: '*' }],
    [['journeys', 'length'], { shape: 'value' }],
    [['journeys', '0', 'name'], { shape: 'value' }],
    [['user', 'firstNme'], { problem: 'user has no field "firstNme" (did you mean "firstName"?)' }],
    [['usr'], { problem: 'the context has no field "usr" (did you mean "user"?)' }],
    [['user', 'firstName', 'x'], { problem: 'user.firstName is a value and has no field "x"' }],
    [['journeys', 'name'], { problem: 'journeys is a list: go through it with {{#each journeys}}' }],
    [['toString'], { problem: 'the context has no field "toString"' }],
  ])('%j', (parts, expected) => {
    expect(resolvePath(SHAPE, parts)).toEqual(expected);
  });

  it('gives the element shape of lists and free-form values', () => {
    expect(elementShape(['value'])).toEqual({ shape: 'value' });
    expect(elementShape('*')).toEqual({ shape: '*' });
    expect(elementShape('value')).toEqual({ problem: 'is a value, not a list' });
  });

  it('suggests only close names', () => {
    expect(suggestion('nmae', ['name', 'keywords'])).toBe('name');
    expect(suggestion('zzzz', ['name', 'keywords'])).toBeUndefined();
  });
});
