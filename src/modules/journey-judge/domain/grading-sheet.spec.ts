import { parseCsv } from '../../../lib/csv/csv';
import { parseHumanLabels, renderGradingSheet } from './grading-sheet';

describe('renderGradingSheet', () => {
  it('writes one row per journey with the evidence the judge sees and empty grades', () => {
    const csv = renderGradingSheet([
      {
        userId: 'u1',
        activity: {
          windowDays: 90,
          events: 4,
          activeDays: 2,
          keywords: [{ text: 'kitchen island', events: 3, actions: {}, sources: ['search'], lastSeen: 'today' }],
        },
        journeys: [
          {
            name: 'Kitchen, "Remodel"',
            rank: 1,
            keywords: ['kitchen island', 'tile'],
            type: 'situational',
            stage: 'ongoing',
            confidence: 0.7,
            lastActive: 'today',
          },
        ],
      },
    ]);
    const rows = parseCsv(csv).map((r) => r.cells);
    expect(rows).toEqual([
      ['userId', 'rank', 'journeyName', 'journeyKeywords', 'typeAndStage', 'activity', 'grade', 'note'],
      [
        'u1',
        '1',
        'Kitchen, "Remodel"',
        'kitchen island, tile',
        'situational, ongoing',
        'kitchen island (3, last today)',
        '',
        '',
      ],
    ]);
  });
});

describe('parseHumanLabels', () => {
  it('reads the graded sheet back, skipping rows not graded yet', () => {
    const text =
      'userId,rank,journeyName,grade,note\nu1,1,Kitchen Remodel,5,spot on\nu1,2,Marathon,,\nu2,1,"Bread, Baking",2,\n';
    expect(parseHumanLabels(text)).toEqual([
      { userId: 'u1', journeyName: 'Kitchen Remodel', grade: 5 },
      { userId: 'u2', journeyName: 'Bread, Baking', grade: 2 },
    ]);
  });

  it('accepts user, journey and grade headers in any order', () => {
    expect(parseHumanLabels('Grade,Journey,User\r\n4,Tile,u9\r\n')).toEqual([
      { userId: 'u9', journeyName: 'Tile', grade: 4 },
    ]);
  });

  it.each([
    ['an empty file', '', 'labels: the file is empty'],
    ['no grade column', 'userId,journeyName\nu1,x\n', 'the header must name a grade column'],
    [
      'a grade of 6',
      'userId,journeyName,grade\nu1,x,4\nu1,y,6\n',
      'labels line 3: grade must be a whole number from 1 to 5 (got "6")',
    ],
    ['a decimal grade', 'userId,journeyName,grade\nu1,x,4.5\n', 'labels line 2: grade must be a whole number'],
    ['a missing journey', 'userId,journeyName,grade\nu1,,4\n', 'labels line 2: journeyName is required'],
    [
      'the same journey twice',
      'userId,journeyName,grade\nu1,Tile,4\nu1,tile,3\n',
      'labels line 3: user u1 and journey "tile" are graded twice',
    ],
    ['an unclosed quote', 'userId,journeyName,grade\n"u1,x,4\n', 'labels: line 2: a quoted cell is not closed'],
  ])('refuses %s', (_name, text, message) => {
    expect(() => parseHumanLabels(text)).toThrow(message);
  });
});
