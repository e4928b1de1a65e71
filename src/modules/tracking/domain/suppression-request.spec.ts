import { MAX_IMPORTED_ADDRESSES, parseSuppressionFile, parseSuppressionImport } from './suppression-request';

describe('parseSuppressionFile', () => {
  it('reads addresses alone or with a reason, skipping a header and counting blank lines', () => {
    const file = parseSuppressionFile(
      'address,reason\r\nann@example.com\n\nbob@example.com, complaint\n   \nCy@Example.com,\n',
    );
    expect(file).toEqual({
      entries: [
        { address: 'ann@example.com', reason: 'manual' },
        { address: 'bob@example.com', reason: 'complaint' },
        { address: 'Cy@Example.com', reason: 'manual' },
      ],
      blank: 2,
      problems: [],
    });
  });

  it('names each bad line by its number and what is wrong with it', () => {
    const file = parseSuppressionFile(
      'ann@example.com\nnot an address\nbob@example.com,spam\ncy@example.com,manual,extra\n',
    );
    expect(file.entries).toHaveLength(1);
    expect(file.problems).toEqual([
      { line: 2, message: 'address must be an email address (local part, @, domain)' },
      { line: 3, message: 'reason must be one of manual, complaint, hard-bounce' },
      { line: 4, message: 'a line holds an address and at most a reason' },
    ]);
  });
});

describe('parseSuppressionImport', () => {
  it('names every bad item and accepts none of them', () => {
    const parsed = parseSuppressionImport({ addresses: [{ address: 'a@b.c' }, { address: 'x' }, 'y'], extra: 1 });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors.map((e) => e.field)).toEqual(['extra', 'addresses[1].address', 'addresses[2]']);
  });

  it('refuses more addresses than one call takes', () => {
    const addresses = Array.from({ length: MAX_IMPORTED_ADDRESSES + 1 }, (_, i) => ({ address: `u${i}@example.com` }));
    const parsed = parseSuppressionImport({ addresses });
    expect(!parsed.ok && parsed.errors[0].field).toBe('addresses');
  });
});
