import { parseCsv, renderCsv } from '../../../lib/csv/csv';
import { ActivitySummary, Grade, isGrade, JourneyForJudge } from './judge-types';
import { JudgeError } from './judge.errors';

/** One human grade: the user, the journey by name, and a grade of 1–5. */
export interface HumanLabel {
  userId: string;
  journeyName: string;
  grade: Grade;
}

/** The columns of the sheet people grade; `--labels` reads userId, journeyName and grade back. */
export const SHEET_COLUMNS = [
  'userId',
  'rank',
  'journeyName',
  'journeyKeywords',
  'typeAndStage',
  'activity',
  'grade',
  'note',
] as const;

/** One sampled user for the grading sheet: what the judge sees, and nothing the judge graded. */
export interface SheetUser {
  userId: string;
  activity: ActivitySummary;
  journeys: readonly JourneyForJudge[];
}

function activityCell(activity: ActivitySummary): string {
  return activity.keywords.map((k) => `${k.text} (${k.events}, last ${k.lastSeen})`).join('; ');
}

/**
 * The grading sheet: one row per journey with the same evidence the judge gets (extracted keywords, not raw
 * activity) and empty grade and note columns. It never shows the judge's grades, so people are not anchored.
 */
export function renderGradingSheet(users: readonly SheetUser[]): string {
  const rows = users.flatMap((u) =>
    u.journeys.map((j) => [
      u.userId,
      j.rank,
      j.name,
      j.keywords.join(', '),
      `${j.type}, ${j.stage}`,
      activityCell(u.activity),
      '',
      '',
    ]),
  );
  return renderCsv([[...SHEET_COLUMNS], ...rows]);
}

const HEADER_NAMES: Record<keyof HumanLabel, readonly string[]> = {
  userId: ['userid', 'user', 'user_id'],
  journeyName: ['journeyname', 'journey', 'journey_name'],
  grade: ['grade', 'label', 'score'],
};

/**
 * Reads human grades from CSV with a header naming the user, journey and grade columns (`userId,journeyName,
 * grade`, or `user,journey,grade`; other columns are ignored). Rows with an empty grade are skipped (not
 * graded yet); any other bad row fails the whole file with its line number, so nothing is half-read.
 */
export function parseHumanLabels(text: string): HumanLabel[] {
  let rows;
  try {
    rows = parseCsv(text);
  } catch (error) {
    throw new JudgeError('judge.invalid-labels', `labels: ${(error as Error).message}`);
  }
  if (rows.length === 0) throw new JudgeError('judge.invalid-labels', 'labels: the file is empty');
  const header = rows[0].cells.map((h) => h.trim().toLowerCase());
  const column = (field: keyof HumanLabel) => {
    const at = header.findIndex((h) => HEADER_NAMES[field].includes(h));
    if (at < 0) {
      throw new JudgeError(
        'judge.invalid-labels',
        `labels: the header must name a ${field} column (${HEADER_NAMES[field].join(' or ')})`,
      );
    }
    return at;
  };
  const [u, j, g] = [column('userId'), column('journeyName'), column('grade')];
  const labels: HumanLabel[] = [];
  const seen = new Set<string>();
  for (const { line, cells } of rows.slice(1)) {
    const [userId, journeyName, gradeText] = [cells[u]?.trim() ?? '', cells[j]?.trim() ?? '', cells[g]?.trim() ?? ''];
    if (gradeText === '') continue;
    const grade = Number(gradeText);
    if (!isGrade(grade) || !/^\d$/.test(gradeText)) {
      throw new JudgeError(
        'judge.invalid-labels',
        `labels line ${line}: grade must be a whole number from 1 to 5 (got "${gradeText.slice(0, 20)}")`,
      );
    }
    if (!userId || !journeyName) {
      throw new JudgeError(
        'judge.invalid-labels',
        `labels line ${line}: ${userId ? 'journeyName' : 'userId'} is required`,
      );
    }
    const key = `${userId}\u0000${journeyName.toLowerCase()}`;
    if (seen.has(key)) {
      throw new JudgeError(
        'judge.invalid-labels',
        `labels line ${line}: user ${userId} and journey "${journeyName}" are graded twice`,
      );
    }
    seen.add(key);
    labels.push({ userId, journeyName, grade });
  }
  return labels;
}
