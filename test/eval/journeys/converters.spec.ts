import { alignTaskLabels, convertAolLog } from './aol';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertHetrec, HetrecFiles, readHetrec } from './hetrec';
import { convertMovielens, csvFields } from './movielens';
import { decodeLines } from './text-files';

// Tiny hand-made inputs in the datasets' shapes; none of their rows come from the real files.
describe('decodeLines', () => {
  it('reads UTF-8 lines as UTF-8 and the others as Latin-1, without a trailing empty line', () => {
    const bytes = Buffer.concat([
      Buffer.from('id\tvalue\r\n1\tcafé\n', 'utf8'),
      Buffer.from('2\tna\xefve\n', 'latin1'),
    ]);
    expect(decodeLines(bytes)).toEqual(['id\tvalue', '1\tcafé', '2\tnaïve']);
  });
});

describe('convertHetrec', () => {
  const files: HetrecFiles = {
    kind: 'movies',
    taggings: [
      'userID\tmovieID\ttagID\tunixTimeStamp',
      '7\t10\t1\t1160000000000',
      '7\t10\t2\t1160000000000',
      '8\t11\t1\t1170000000000',
    ],
    tags: ['id\tvalue', '1\tmoss gardens', '2\tslow burn'],
    items: ['id\ttitle\timdbID', '10\tA Made Up Film\t1', '11\tAnother Invented Title\t2'],
    genres: ['movieID\tgenre', '10\tSci-Fi', '10\tDrama'],
  };

  it('turns each tag assignment into a save of the movie to a board named after the tag', () => {
    const events = convertHetrec(files);
    expect(events).toHaveLength(3);
    expect(events[0]).toEqual({
      id: 'ml-7-10-1',
      userId: 'ml-7',
      type: 'save',
      occurredAt: '2006-10-04T22:13:20.000Z',
      item: { id: 'movie-10', title: 'A Made Up Film', categories: ['Sci-Fi', 'Drama'] },
      board: { name: 'moss gardens' },
    });
    // Two tags in the same second stay two events at one instant; a movie without genres has no categories.
    expect(events[1]).toMatchObject({ occurredAt: events[0].occurredAt, board: { name: 'slow burn' } });
    expect(events[2].item).toEqual({ id: 'movie-11', title: 'Another Invented Title' });
  });

  it('skips assignments of unknown tags and keeps ids unique', () => {
    const events = convertHetrec({
      ...files,
      taggings: [files.taggings[0], '7\t10\t9\t1160000000000', '7\t10\t1\t1160000000000', '7\t10\t1\t1160000001000'],
    });
    expect(events.map((e) => e.id)).toEqual(['ml-7-10-1', 'ml-7-10-1-2']);
  });

  it('skips assignments dated before the earliest time ingest accepts (mistyped years)', () => {
    const events = convertHetrec({
      kind: 'artists',
      taggings: ['userID\tartistID\ttagID\tday\tmonth\tyear', '3\t5\t1\t1\t4\t1956', '3\t5\t1\t1\t4\t2009'],
      tags: ['tagID\ttagValue', '1\tporch songs'],
      items: ['id\tname\turl\tpictureURL', '5\tAn Invented Band\thttp://band.example\t'],
    });
    expect(events.map((e) => e.occurredAt)).toEqual(['2009-04-01T00:00:00.000Z']);
  });

  it.each([
    {
      set: 'Last.fm artists, dated to the day (read as midnight UTC)',
      files: {
        kind: 'artists' as const,
        taggings: ['userID\tartistID\ttagID\tday\tmonth\tyear', '3\t5\t1\t1\t4\t2009', '3\t5\t2\t1\t4\t2009'],
        tags: ['tagID\ttagValue', '1\tporch songs', '2\tsunday mornings'],
        items: ['id\tname\turl\tpictureURL', '5\tAn Invented Band\thttp://band.example\t'],
      },
      first: ['fm-3-5-1', 'fm-3', '2009-04-01T00:00:00.000Z', 'artist-5', 'An Invented Band', 'porch songs'],
      events: 2,
    },
    {
      set: 'Delicious bookmarks by their title, dated to the second',
      files: {
        kind: 'bookmarks' as const,
        taggings: [
          'userID\tbookmarkID\ttagID\tday\tmonth\tyear\thour\tminute\tsecond',
          '4\t9\t1\t2\t11\t2010\t13\t5\t7',
        ],
        tags: ['id\tvalue', '1\tsourdough'],
        items: [
          'id\tmd5\ttitle\turl\tmd5Principal\turlPrincipal',
          '9\tab\tA Starter Guide\thttp://x.example/a\tcd\tx.example',
        ],
      },
      first: ['dl-4-9-1', 'dl-4', '2010-11-02T13:05:07.000Z', 'bookmark-9', 'A Starter Guide', 'sourdough'],
      events: 1,
    },
  ])('reads $set', ({ files: sister, first, events: count }) => {
    const events = convertHetrec(sister);
    const [id, userId, occurredAt, itemId, title, board] = first;
    expect(events).toHaveLength(count);
    expect(events[0]).toEqual({
      id,
      userId,
      type: 'save',
      occurredAt,
      item: { id: itemId, title },
      board: { name: board },
    });
    // Tags of one item on one day share the instant.
    for (const e of events) expect(e.occurredAt).toBe(occurredAt);
  });
});

describe('readHetrec', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'jc-hetrec-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds which set a folder holds by its tag assignments, preferring those with unix times', () => {
    const write = (file: string, lines: string[]) => writeFileSync(join(dir, file), `${lines.join('\n')}\n`);
    write('tags.dat', ['tagID\ttagValue', '1\tporch songs']);
    write('artists.dat', ['id\tname\turl\tpictureURL', '5\tAn Invented Band\t\t']);
    write('user_taggedartists.dat', ['userID\tartistID\ttagID\tday\tmonth\tyear', '3\t5\t1\t1\t4\t2009']);
    expect(convertHetrec(readHetrec(dir))[0].occurredAt).toBe('2009-04-01T00:00:00.000Z');
    write('user_taggedartists-timestamps.dat', ['userID\tartistID\ttagID\ttimestamp', '3\t5\t1\t1238536800000']);
    const files = readHetrec(dir);
    expect(files.kind).toBe('artists');
    expect(convertHetrec(files)[0].occurredAt).toBe('2009-03-31T22:00:00.000Z');
  });

  it('says which files it looked for when the folder holds none of the sets', () => {
    expect(() => readHetrec(dir)).toThrow(
      /no HetRec tag assignments \(user_taggedmovies, user_taggedartists or user_taggedbookmarks\)/,
    );
  });
});

describe('csvFields', () => {
  it('splits on commas outside quotes and undoes doubled quotes', () => {
    expect(csvFields('1,plain,x')).toEqual(['1', 'plain', 'x']);
    expect(csvFields('2,"Made Up, The (1999)",Drama|Comedy')).toEqual(['2', 'Made Up, The (1999)', 'Drama|Comedy']);
    expect(csvFields('3,"a ""quoted"" word",')).toEqual(['3', 'a "quoted" word', '']);
    expect(csvFields('"",,')).toEqual(['', '', '']);
  });
});

describe('convertMovielens', () => {
  const files = {
    tags: [
      'userId,movieId,tag,timestamp',
      '5,20,slow burn,1360000000',
      '5,20,"space, the final frontier",1360000000',
      '5,21, ,1360000100',
      '6,99,made up,1370000000',
    ],
    movies: [
      'movieId,title,genres',
      '20,"Invented Film, An (2001)",Sci-Fi|Drama',
      '21,Another Invention (2003),(no genres listed)',
    ],
  };

  it('turns each tag application into a save of the movie to a board named after the tag, at its second', () => {
    const events = convertMovielens(files);
    expect(events.map((e) => [e.id, e.board?.name, e.occurredAt])).toEqual([
      ['mlc-5-1', 'slow burn', '2013-02-04T17:46:40.000Z'],
      ['mlc-5-2', 'space, the final frontier', '2013-02-04T17:46:40.000Z'],
      ['mlc-6-4', 'made up', '2013-05-31T11:33:20.000Z'],
    ]);
    expect(events[0]).toMatchObject({
      userId: 'mlc-5',
      type: 'save',
      item: { id: 'movie-20', title: 'Invented Film, An (2001)', categories: ['Sci-Fi', 'Drama'] },
    });
    // A movie missing from movies.csv is still the item, without title or genres.
    expect(events[2].item).toEqual({ id: 'movie-99' });
  });
});

describe('convertAolLog', () => {
  const row = (query: string, time: string, url = '') =>
    `user-ct-test-collection-01.txt:42\t${query}\t${time}\t${url ? '1' : ''}\t${url}`;
  const lines = [
    row('garden gnomes', '2006-03-01 10:00:00'),
    row('garden gnomes', '2006-03-01 10:00:05', 'http://gnomes.example'),
    row('garden gnomes', '2006-03-01 10:00:05', 'http://gnomes.example'),
    row('-', '2006-03-01 10:01:00'),
    row('x', '2006-03-01 10:01:10'),
    row('garden gnomes', '2006-03-01 10:02:00', 'http://gnomes.example'),
    row('tide tables', '2006-03-02 08:00:00'),
  ];
  const events = convertAolLog('42', lines);

  it("follows the dataset's cleaning: drops '-' and one-letter queries, collapses adjacent repeats", () => {
    expect(events.map((e) => [e.id, e.type, e.query, e.item?.id])).toEqual([
      ['aol-42-0', 'search', 'garden gnomes', undefined],
      ['aol-42-1', 'click', 'garden gnomes', 'http://gnomes.example'],
      ['aol-42-2', 'search', 'tide tables', undefined],
    ]);
    expect(events[0]).toMatchObject({ userId: 'aol-42', occurredAt: '2006-03-01T10:00:00Z' });
  });

  it('aligns each labelled query to the nearest event with the same text, one label per event', () => {
    const tasks = [
      '42\t1\t1\t1\tGarden Gnomes',
      '42\t1\t1\t2\tgarden gnomes',
      '42\t2\t1\t3\ttide tables',
      '42\t2\t2\t9\tnot there',
    ];
    const { labels, unaligned } = alignTaskLabels(tasks, new Map([['42', events]]));
    expect([...labels]).toEqual([
      ['aol-42-0', { userId: 'aol-42', session: '1', task: '1' }],
      ['aol-42-1', { userId: 'aol-42', session: '1', task: '1' }],
      ['aol-42-2', { userId: 'aol-42', session: '2', task: '1' }],
    ]);
    expect(unaligned).toBe(1);
  });
});
