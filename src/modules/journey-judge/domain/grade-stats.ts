import { statsOfValues, SufficientStats } from '../../experiments/domain';
import { GOOD_GRADE, Grade, GRADES } from './judge-types';

/** One judged user's graded journeys. */
export interface UserGrades {
  userId: string;
  journeys: ReadonlyArray<{ name: string; rank: number; grade: Grade; explanation: string }>;
}

/** Per-user sufficient statistics: the user is the unit of the interval, since one user's journeys go together. */
export interface PerUserStats {
  meanGrade: SufficientStats;
  shareGood: SufficientStats;
}

export interface GradeSummary {
  users: number;
  journeys: number;
  /** Journeys per grade, "1" to "5". */
  distribution: Record<string, number>;
  mean: number | null;
  /** Share of journeys graded 4 or 5. */
  shareGood: number | null;
  /** Mean grade of the journeys at each rank: a good ranker's top journeys grade best. */
  byRank: Array<{ rank: number; journeys: number; mean: number }>;
  perUser: PerUserStats;
}

export interface WorstExample {
  userId: string;
  journeyName: string;
  rank: number;
  grade: Grade;
  explanation: string;
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length;

/** The grade distribution, mean, share ≥ 4, mean by rank and per-user statistics of judged users. */
export function summarizeGrades(users: readonly UserGrades[]): GradeSummary {
  const graded = users.filter((u) => u.journeys.length > 0);
  const grades = graded.flatMap((u) => u.journeys.map((j) => j.grade));
  const distribution = Object.fromEntries(GRADES.map((g) => [String(g), grades.filter((x) => x === g).length]));
  const ranks = [...new Set(graded.flatMap((u) => u.journeys.map((j) => j.rank)))].sort((a, b) => a - b);
  const byRank = ranks.map((rank) => {
    const at = graded.flatMap((u) => u.journeys.filter((j) => j.rank === rank).map((j) => j.grade));
    return { rank, journeys: at.length, mean: mean(at)! };
  });
  const userMeans = graded.map((u) => mean(u.journeys.map((j) => j.grade))!);
  const userShares = graded.map((u) => mean(u.journeys.map((j) => (j.grade >= GOOD_GRADE ? 1 : 0)))!);
  return {
    users: graded.length,
    journeys: grades.length,
    distribution,
    mean: mean(grades),
    shareGood: mean(grades.map((g) => (g >= GOOD_GRADE ? 1 : 0))),
    byRank,
    perUser: { meanGrade: statsOfValues(userMeans), shareGood: statsOfValues(userShares) },
  };
}

/** The lowest-graded journeys, a top-ranked miss before a lower-ranked one, then by user for a stable order. */
export function worstExamples(users: readonly UserGrades[], limit: number): WorstExample[] {
  return users
    .flatMap((u) =>
      u.journeys.map((j) => ({
        userId: u.userId,
        journeyName: j.name,
        rank: j.rank,
        grade: j.grade,
        explanation: j.explanation,
      })),
    )
    .sort((a, b) => a.grade - b.grade || a.rank - b.rank || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0))
    .slice(0, limit);
}
