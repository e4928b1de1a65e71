import { csvCell, parseCsv, renderCsv } from './csv';

describe('parseCsv', () => {
  it.each([
    [
      'plain cells',
      'a,b\n1,2\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'CRLF line ends and no final newline',
      'a,b\r\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    ['quoted commas, quotes and line breaks', 'a,"b, ""c""\nd"\n', [['a', 'b, "c"\nd']]],
    ['a byte-order mark and blank lines', '\ufeffa\n\n  \nb\n', [['a'], ['b']]],
    ['empty cells', ',x,\n', [['', 'x', '']]],
  ])('%s', (_name, text, expected) => {
    expect(parseCsv(text).map((row) => row.cells)).toEqual(expected);
  });

  it('numbers rows by the line they start on', () => {
    expect(parseCsv('h\n"two\nlines"\nlast\n').map((row) => row.line)).toEqual([1, 2, 4]);
  });

  it('refuses a quoted cell that is never closed', () => {
    expect(() => parseCsv('a\n"open,\n')).toThrow('line 2: a quoted cell is not closed');
  });
});

describe('renderCsv', () => {
  it('quotes what needs quoting and guards formulas', () => {
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell(3.5)).toBe('3.5');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('round-trips through parseCsv', () => {
    const rows = [
      ['userId', 'journeyName', 'grade'],
      ['u1', 'Kitchen, "remodel"\nplans', '4'],
    ];
    expect(parseCsv(renderCsv(rows)).map((row) => row.cells)).toEqual(rows);
  });
});
