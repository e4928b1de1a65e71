import { parseDataFile } from './data-file';

describe('parseDataFile', () => {
  it('returns each value with the line and column where its text starts', () => {
    const source = '{\n  "journey": "{{journey.name}}",\n  "say \\"hi\\"": "x"\n}\n';
    expect(parseDataFile(source)).toEqual({
      entries: [
        { key: 'journey', value: '{{journey.name}}', line: 2, column: 14 },
        { key: 'say "hi"', value: 'x', line: 3, column: 17 },
      ],
    });
  });

  it.each([
    ['{ "a": 1 }', /"a" must be a string/],
    ['["a"]', /must be an object/],
    ['{ "a": "b", }', /invalid JSON/],
  ])('refuses %s', (source, message) => {
    const result = parseDataFile(source);
    expect('problem' in result && result.problem.message).toMatch(message);
  });
});
