import { AudienceEstimate } from '../../campaigns/audience-estimate.service';
import { figureText } from '../../campaigns/domain/estimate-sample';
import { SamplePreview } from '../../campaigns/campaign-preview.service';
import { ComposedMessage } from '../../campaigns/domain/compose-result';
import { runsGoingOnText } from '../../campaigns/domain/campaign-state';
import { CampaignSummaryResponse } from '../../campaigns/dto/campaign-response.dto';
import { CampaignRunRecord } from '../../campaigns/runs/campaign-run.schema';
import { TrackedLink } from '../../templates/template.types';
import { alignedTable } from '../aligned-table';

const cell = (text: string, width: number) => {
  const flat = text.replace(/\s+/g, ' ');
  return (flat.length > width ? `${flat.slice(0, width - 1)}…` : flat).padEnd(width);
};

function copyLine(m: ComposedMessage): string {
  const c = m.copy;
  if (c.source === 'llm') return `llm (${c.promptVersion}, ${c.model}${c.cacheHit ? ', cached' : ''})`;
  return c.fallbackReason ? `template (fallback: ${c.fallbackReason})` : 'template';
}

/**
 * `text` with each link placeholder shown as what the reader reaches: a click link's destination, or
 * `[unsubscribe link]`. Delivery replaces the placeholders with signed tracking URLs that lead there.
 */
function readableLinks(text: string, links: readonly TrackedLink[]): string {
  return links.reduce(
    (shown, link) => shown.split(link.placeholder).join(link.kind === 'click' ? link.url : '[unsubscribe link]'),
    text,
  );
}

/**
 * Every part of one rendered message, with what it is about and where its copy came from. `arms` are the
 * ids of the campaign's experiment when the preview shows the campaign's own copy instead of one of them:
 * the user's arm is decided by a run, so the message is not what they would get in every arm.
 */
export function formatMessage(m: ComposedMessage, arms: readonly string[] = []): string {
  const lines = [
    `campaign ${m.campaignId}  user ${m.userId}  variant ${m.variant.id} (${m.variant.copy})`,
    ...(arms.length > 0
      ? [
          `arms     not previewed: the campaign's own copy; a run gives ${m.userId} an arm of its experiment (${arms.join(', ')}), --variant <id> shows one`,
        ]
      : []),
    `about    ${m.subject.kind} "${m.subject.name}" (${m.subject.id})${m.subjects.length > 1 ? ` and ${m.subjects.length - 1} more` : ''}`,
    `copy     ${copyLine(m)}`,
    `template ${m.template.ref} [${m.template.locale}] ${m.template.hash}`,
  ];
  const r = m.rendered;
  const shown = (text: string) => readableLinks(text, r.links);
  if (r.channel === 'push') {
    lines.push(`title    ${shown(r.title)}`, `body     ${shown(r.body)}`);
    if (r.deepLink) lines.push(`link     ${shown(r.deepLink)}`);
    lines.push(`data     ${shown(JSON.stringify(r.data))}`);
    if (r.truncated.length > 0) lines.push(`cut      ${r.truncated.join(', ')}`);
  } else {
    lines.push(`subject  ${shown(r.subject)}`, `preview  ${shown(r.preheader)}`, '', shown(r.text));
  }
  return lines.join('\n');
}

/** One row per sampled user: who, which variant, what about, copy source and the first two parts. */
export function formatSample(sample: SamplePreview): string {
  const header = `${cell('user', 16)} ${cell('variant', 18)} ${cell('about', 24)} ${cell('copy', 10)} ${cell('title / subject', 40)} body / preheader`;
  const rows = sample.messages.map((m) => {
    const [first, second] =
      m.rendered.channel === 'push' ? [m.rendered.title, m.rendered.body] : [m.rendered.subject, m.rendered.preheader];
    return `${cell(m.userId, 16)} ${cell(`${m.variant.id}/${m.variant.copy}`, 18)} ${cell(m.subject.name, 24)} ${cell(m.copy.source, 10)} ${cell(first, 40)} ${cell(second, 60).trimEnd()}`;
  });
  const skipped = Object.entries(sample.skipped).map(([code, n]) => `${code} ${n}`);
  return [
    header,
    ...rows,
    `${sample.messages.length} message(s)${skipped.length ? `; skipped: ${skipped.join(', ')}` : ''}`,
  ].join('\n');
}

/** The estimate as a short report; sampled figures read "about N (± M)". */
export function formatEstimate(e: AudienceEstimate): string {
  const f = (value: number, figure: keyof NonNullable<AudienceEstimate['intervals']>) =>
    figureText(value, e.intervals?.[figure]);
  const locales = e.byLocale.map((l) => `${l.locale ?? '(none)'} ${figureText(l.users, l.interval)}`).join(', ');
  const how = e.sample
    ? `sampled ${e.sample.size} of ${e.sample.population} users (95% intervals; --exact counts everyone)`
    : 'counted';
  return [
    `campaign ${e.campaignId} (${e.channel}): ${f(e.total, 'total')} users`,
    `  consent:  ${f(e.byConsent.consented, 'consented')} with ${e.channel} consent and an address, ${f(e.byConsent.withoutConsent, 'withoutConsent')} without, ${f(e.byConsent.unsubscribed, 'unsubscribed')} unsubscribed`,
    `  stage:    ${f(e.byStage.ongoing, 'ongoing')} with an ongoing journey, ${f(e.byStage.other, 'other')} other`,
    `  locales:  ${locales || '-'}`,
    `  ${how} in ${e.durationMs} ms`,
  ].join('\n');
}

const LIST_COLUMNS: Array<[string, (c: CampaignSummaryResponse) => string]> = [
  ['campaign', (c) => c.campaignId],
  ['name', (c) => c.name ?? '-'],
  ['state', (c) => c.state],
  ['channel', (c) => c.channel ?? '-'],
  ['content hash', (c) => `${c.contentHash ?? '-'}${c.valid ? '' : '  (invalid)'}`],
];

/** One aligned row per campaign, in the order given; a name is printed with control characters escaped. */
export function formatCampaignList(campaigns: readonly CampaignSummaryResponse[]): string {
  return alignedTable([
    LIST_COLUMNS.map(([title]) => title),
    ...campaigns.map((c) => LIST_COLUMNS.map(([, cellOf]) => JSON.stringify(cellOf(c)).slice(1, -1))),
  ]);
}

/** A paused campaign, then the runs it already started that go on sending, and how to stop one. */
export function formatPaused(campaignId: string, state: string, runs: readonly CampaignRunRecord[]): string {
  if (runs.length === 0) return `${campaignId}: ${state}`;
  const text = runsGoingOnText(runs.length);
  const width = Math.max(...runs.map((run) => run.runId.length));
  return [
    `${campaignId}: ${state}`,
    text.going,
    ...runs.map((run) => `  ${run.runId.padEnd(width)}  ${run.state}`),
    `${text.stop}.`,
  ].join('\n');
}
