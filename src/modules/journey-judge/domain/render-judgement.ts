import { GRADES } from './judge-types';
import { GradeChange } from './run-change';
import { JudgementReport } from './judgement-report';

const fixed = (n: number | null, digits = 2) => (n === null ? 'n/a' : n.toFixed(digits));
const percent = (n: number | null) => (n === null ? 'n/a' : `${(100 * n).toFixed(1)}%`);
const signed = (n: number, scale: number, digits: number) => `${n >= 0 ? '+' : ''}${(n * scale).toFixed(digits)}`;

const CHANGE_WORDS: Record<GradeChange['verdict'], string> = {
  improved: 'improved',
  worsened: 'worsened',
  'no-significant-change': 'no significant change',
  'not-enough-data': 'not enough data for an interval',
};

/** One change as a sentence: "mean grade 3.62 → 3.84: +0.22 [+0.05, +0.39], improved". */
export function describeChange(c: GradeChange): string {
  const share = c.metric === 'share-good';
  const [scale, digits, unit] = share ? [100, 1, ' pts'] : [1, 2, ''];
  const level = (n: number) => (share ? percent(n) : n.toFixed(2));
  const interval =
    c.lower === null || c.upper === null
      ? ''
      : ` [${signed(c.lower, scale, digits)}, ${signed(c.upper, scale, digits)}]`;
  const name = share ? 'share graded 4 or 5' : 'mean grade';
  return `${name} ${level(c.previous)} → ${level(c.current)}: ${signed(c.difference, scale, digits)}${unit}${interval}, ${CHANGE_WORDS[c.verdict]}`;
}

function headline(r: JudgementReport): string[] {
  const { counts, tokens } = r;
  return [
    `Judge ${r.model}, prompt ${r.promptVersion}: top ${r.topK} journeys of ${counts.sampled} sampled users (${r.status}).`,
    `Users judged ${counts.judged} (${counts.cached} from cache), failed ${counts.failed}, skipped for budget ${counts.skippedForBudget}; ` +
      `tokens ${tokens.spent} of ${tokens.budget}${tokens.exhausted ? ' (budget spent)' : ''}.`,
    `${r.summary.journeys} journeys graded: mean ${fixed(r.summary.mean)}, ${percent(r.summary.shareGood)} graded 4 or 5.`,
  ];
}

function changeLines(r: JudgementReport): string[] {
  if (!r.previous) return ['No earlier judged run to compare with.'];
  const note = r.previous.sameJudge ? '' : ' (graded by another model or prompt version: not like for like)';
  return [
    `Since run ${r.previous.buildRunId} (judgement ${r.previous.judgementId})${note}:`,
    ...r.changes.map((c) => `  ${describeChange(c)}`),
  ];
}

function alertLine(r: JudgementReport): string {
  return r.alert.triggered
    ? `ALERT: mean grade ${fixed(r.summary.mean)} is below the alert threshold ${r.alert.minMeanGrade.toFixed(2)}.`
    : `Alert threshold ${r.alert.minMeanGrade.toFixed(2)}: not triggered.`;
}

/** The judgement for a terminal. */
export function renderJudgementText(r: JudgementReport): string {
  const total = Math.max(1, r.summary.journeys);
  const bars = [...GRADES].reverse().map((g) => {
    const n = r.summary.distribution[String(g)] ?? 0;
    return `  ${g}  ${'█'.repeat(Math.round((30 * n) / total)).padEnd(30)} ${String(n).padStart(5)}  ${percent(n / total)}`;
  });
  const byRank = r.summary.byRank.map((b) => `#${b.rank} ${b.mean.toFixed(2)} (${b.journeys})`).join(' · ');
  const worst = r.worst.map((w) => `  ${w.grade}  user ${w.userId}, #${w.rank} "${w.journeyName}": ${w.explanation}`);
  return [
    `Journey judgement ${r.judgementId} of run ${r.buildRunId}`,
    ...headline(r),
    '',
    'Grades:',
    ...bars,
    `Mean grade by rank: ${byRank || 'n/a'}`,
    '',
    ...changeLines(r),
    alertLine(r),
    '',
    'Worst examples:',
    ...(worst.length > 0 ? worst : ['  none']),
    ...(r.failures.length > 0 ? ['', 'Failures:', ...r.failures.map((f) => `  user ${f.userId}: ${f.reason}`)] : []),
  ].join('\n');
}

const cellText = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

/** The judgement as Markdown, for a pull request or a wiki page. */
export function renderJudgementMarkdown(r: JudgementReport): string {
  const total = Math.max(1, r.summary.journeys);
  return [
    `# Journey judgement of run \`${r.buildRunId}\``,
    '',
    ...headline(r),
    '',
    '| Grade | Journeys | Share |',
    '|---:|---:|---:|',
    ...[...GRADES].reverse().map((g) => {
      const n = r.summary.distribution[String(g)] ?? 0;
      return `| ${g} | ${n} | ${percent(n / total)} |`;
    }),
    '',
    `Mean grade by rank: ${r.summary.byRank.map((b) => `#${b.rank} ${b.mean.toFixed(2)}`).join(', ') || 'n/a'}.`,
    '',
    '## Change',
    '',
    ...changeLines(r).map((line) => line.replace(/^ {2}/, '- ')),
    '',
    `**${alertLine(r)}**`,
    '',
    '## Worst examples',
    '',
    '| Grade | User | Rank | Journey | Explanation |',
    '|---:|---|---:|---|---|',
    ...r.worst.map(
      (w) =>
        `| ${w.grade} | ${cellText(w.userId)} | ${w.rank} | ${cellText(w.journeyName)} | ${cellText(w.explanation)} |`,
    ),
  ].join('\n');
}
