import { summarizeGrades, UserGrades, worstExamples } from './grade-stats';
import { Grade } from './judge-types';

function user(userId: string, grades: number[]): UserGrades {
  return {
    userId,
    journeys: grades.map((grade, i) => ({
      name: `${userId} j${i + 1}`,
      rank: i + 1,
      grade: grade as Grade,
      explanation: `e${grade}`,
    })),
  };
}

describe('summarizeGrades', () => {
  /*
   * u1 [5,4,2], u2 [3,1], u3 [4]: six journeys, grades 5,4,2,3,1,4.
   * distribution 1:1 2:1 3:1 4:2 5:1; mean 19/6 = 3.1667; share ≥ 4: 3/6 = 0.5.
   * by rank: #1 (5,3,4) mean 4, #2 (4,1) mean 2.5, #3 (2) mean 2.
   * per-user means 11/3, 2, 4: n 3, Σ 29/3, Σ² 121/9 + 4 + 16 = 301/9.
   * per-user shares 2/3, 0, 1: Σ 5/3, Σ² 4/9 + 1 = 13/9.
   */
  const summary = summarizeGrades([user('u1', [5, 4, 2]), user('u2', [3, 1]), user('u3', [4]), user('u4', [])]);

  it('counts, averages and splits by rank', () => {
    expect(summary.users).toBe(3);
    expect(summary.journeys).toBe(6);
    expect(summary.distribution).toEqual({ '1': 1, '2': 1, '3': 1, '4': 2, '5': 1 });
    expect(summary.mean).toBeCloseTo(19 / 6, 12);
    expect(summary.shareGood).toBeCloseTo(0.5, 12);
    expect(summary.byRank).toEqual([
      { rank: 1, journeys: 3, mean: 4 },
      { rank: 2, journeys: 2, mean: 2.5 },
      { rank: 3, journeys: 1, mean: 2 },
    ]);
  });

  it('keeps per-user sufficient statistics for intervals between runs', () => {
    expect(summary.perUser.meanGrade.n).toBe(3);
    expect(summary.perUser.meanGrade.sum).toBeCloseTo(29 / 3, 12);
    expect(summary.perUser.meanGrade.sumSquares).toBeCloseTo(301 / 9, 12);
    expect(summary.perUser.shareGood.sum).toBeCloseTo(5 / 3, 12);
    expect(summary.perUser.shareGood.sumSquares).toBeCloseTo(13 / 9, 12);
  });

  it('has no mean without grades', () => {
    const empty = summarizeGrades([]);
    expect([empty.mean, empty.shareGood, empty.journeys]).toEqual([null, null, 0]);
  });
});

describe('worstExamples', () => {
  it('lists the lowest grades first, a top-ranked miss before a lower one', () => {
    const worst = worstExamples([user('b', [1, 2]), user('a', [3, 1])], 3);
    expect(worst.map((w) => [w.userId, w.rank, w.grade])).toEqual([
      ['b', 1, 1],
      ['a', 2, 1],
      ['b', 2, 2],
    ]);
  });
});
