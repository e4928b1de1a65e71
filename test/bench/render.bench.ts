/**
 * Template rendering throughput with a warm cache (targets: 20k push/s and 5k email/s on 2 cores),
 * through TemplatesService.render, next to a bare `Handlebars.compile`d template of the same text and
 * output size rendered in the same run: the ceiling, since it skips helpers, locale fallback, push
 * limits, link placeholders, the layout and the derived text part.
 */
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import {
  removeTemplateTrees,
  templatesService,
  templateTree,
  SHIPPED_DIR,
} from '../../src/modules/templates/testing/template-tree';
import { TemplatesService } from '../../src/modules/templates/templates.service';

const USERS = 200; // distinct contexts, cycled
const ROUNDS = 15;
const PER_ROUND = { push: 4_000, email: 1_000 };
const NOW = new Date('2026-03-10T12:00:00Z');
const LOCALES = ['en-US', 'fr-FR', 'en-GB', 'fr-CA'];

const PUSH = {
  'push/nudge/title.hbs': '{{truncate journey.name 40}}: {{plural journey.ideas one="# new idea" other="# new ideas"}}',
  'push/nudge/title.fr.hbs': '{{truncate journey.name 40}} : {{plural journey.ideas one="# idée" other="# idées"}}',
  'push/nudge/body.hbs':
    'Pick up {{join journey.keywords limit=3}} where you left off {{relativeTime journey.lastSeenAt}}.',
  'push/nudge/body.fr.hbs':
    'Reprenez {{join journey.keywords limit=3}} là où vous en étiez {{relativeTime journey.lastSeenAt}}.',
  'push/nudge/deep-link.hbs': 'journeycast://journeys/{{journey.id}}',
  'push/nudge/data.json': '{ "journey": "{{journey.name}}", "stage": "{{journey.stage}}" }',
};
const EMAIL_HTML = [
  '<h1>Hi {{default user.firstName "there"}},</h1>',
  '<p>Here is where your journeys stand on {{date sentAt "long"}}.</p>',
  '{{> journey-list journeys=journeys}}',
  '{{#each journeys}}<p><a href="{{track url}}">{{name}}</a> · {{relativeTime lastSeenAt}}</p>{{/each}}',
  '{{> button url=cta label="See all your ideas"}}',
].join('\n');
const EMAIL = {
  'email/digest/subject.hbs': 'Your week: {{plural journeys.length one="# journey" other="# journeys"}}',
  'email/digest/preheader.hbs': 'New ideas for {{join journeys key="name" limit=2}}',
  'email/digest/html.hbs': EMAIL_HTML,
};

/** The same email as one plain template: layout, content and footer inlined, helpers replaced by fields. */
function bareEmailSource(): string {
  const layout = readFileSync(join(SHIPPED_DIR, 'layouts', 'default.html.hbs'), 'utf8');
  const footer = readFileSync(join(SHIPPED_DIR, 'partials', 'footer.hbs'), 'utf8');
  const content = [
    '<h1>Hi {{user.firstName}},</h1><p>Here is where your journeys stand on {{sentAt}}.</p>',
    '<ul>{{#each journeys}}<li><strong>{{name}}</strong><br><span>{{keywords}}</span></li>{{/each}}</ul>',
    '{{#each journeys}}<p><a href="{{url}}">{{name}}</a> · {{lastSeenAt}}</p>{{/each}}',
    '<table><tr><td><a href="{{cta}}">See all your ideas</a></td></tr></table>',
  ].join('\n');
  return layout
    .replace('{{{@content}}}', content)
    .replace('{{> footer}}', footer.replace('{{unsubscribeUrl}}', '{{unsubscribe}}'))
    .replace(/@(locale|subject|preheader)/g, '$1');
}

function contexts() {
  return Array.from({ length: USERS }, (_, u) => {
    const journeys = Array.from({ length: 3 }, (_, j) => ({
      id: `j${u}-${j}`,
      name: `Journey ${u} number ${j} <kitchen & garden>`,
      ideas: (u + j) % 7,
      keywords: ['backsplash', 'island', 'tiles', 'paint', 'lights'].slice(0, 2 + ((u + j) % 4)),
      lastSeenAt: new Date(NOW.getTime() - (u * 7 + j) * 3_600_000).toISOString(),
      stage: 'ongoing',
      url: `https://example.com/journeys/${u}/${j}`,
    }));
    return {
      user: { firstName: `User ${u}` },
      sentAt: NOW.toISOString(),
      journeys,
      journey: journeys[0],
      cta: 'https://example.com/ideas',
    };
  });
}

type Variant = [label: string, render: (i: number) => number];

interface Rate {
  /** Renders per second of wall time. */
  wall: number;
  /** Renders per second of this process's CPU time: what one core does, however busy the machine is. */
  cpu: number;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en').padStart(9);
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

/**
 * Interleaved rounds, so a busy neighbour slows every variant alike; returns the median rates per
 * variant, by wall clock and by CPU time (the machine is shared: the CPU rate is the steadier one).
 */
function measure(variants: Variant[], perRound: number): Map<string, Rate> {
  let sink = 0;
  for (const [, render] of variants) for (let i = 0; i < perRound; i++) sink += render(i); // warm-up
  const rounds = new Map<string, { wall: number[]; cpu: number[] }>(variants.map(([l]) => [l, { wall: [], cpu: [] }]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const [label, render] of variants) {
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < perRound; i++) sink += render(r * perRound + i);
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const cpu = process.cpuUsage(cpu0);
      rounds.get(label)!.wall.push(perRound / wall);
      rounds.get(label)!.cpu.push(perRound / ((cpu.user + cpu.system) / 1e6));
    }
  }
  const rates = new Map<string, Rate>();
  for (const [label, { wall, cpu }] of rounds) {
    rates.set(label, { wall: median(wall), cpu: median(cpu) });
    console.log(`${label.padEnd(48)} ${fmt(median(wall))} /s wall  ${fmt(median(cpu))} /s per CPU-second`);
  }
  if (sink === 0) console.log('(no output)');
  return rates;
}

export async function run(): Promise<void> {
  const service: TemplatesService = templatesService(templateTree({ ...PUSH, ...EMAIL }, { shipped: true }));
  const users = contexts();
  const options = (i: number) => ({ locale: LOCALES[i % LOCALES.length], timeZone: 'Europe/Paris', now: NOW });
  const barePush = Handlebars.compile(
    '{{journey.name}}: {{journey.ideas}} new ideas|Pick up {{journey.keywords}}|journeycast://journeys/{{journey.id}}|{{journey.name}}|{{journey.stage}}',
  );
  const bareEmail = Handlebars.compile(bareEmailSource());
  const push = (i: number) => {
    const m = service.render('push/nudge', 'push', users[i % USERS], options(i));
    return m.title.length + m.body.length;
  };
  const email = (i: number) => service.render('email/digest', 'email', users[i % USERS], options(i)).html.length;
  const sample = service.render('email/digest', 'email', users[0], options(0));
  const bareSample = bareEmail({ ...users[0], unsubscribe: 'https://example.com/u' });
  console.log(
    `${USERS} users, 3 journeys each, locales ${LOCALES.join('/')}; email HTML ${sample.html.length} chars (bare ${bareSample.length}), text ${sample.text.length} chars; ${ROUNDS} interleaved rounds`,
  );
  const pushRates = measure(
    [
      ['ceiling: bare Handlebars.compile (push text)', (i) => barePush(users[i % USERS]).length],
      ['push: TemplatesService.render', push],
    ],
    PER_ROUND.push,
  );
  const emailRates = measure(
    [
      ['ceiling: bare Handlebars.compile (email HTML)', (i) => bareEmail(users[i % USERS]).length],
      ['email: TemplatesService.render (HTML + text)', email],
      [
        'email: render + resolveLinks',
        (i) =>
          service.resolveLinks(
            service.render('email/digest', 'email', users[i % USERS], options(i)),
            (l) => `https://t.example.com/${l.id}`,
          ).html.length,
      ],
    ],
    PER_ROUND.email,
  );
  const [pushCeiling, pushRate] = [...pushRates.values()];
  const [emailCeiling, emailRate] = [...emailRates.values()];
  const verdict = (rate: Rate, target: number) =>
    `${Math.round(rate.cpu).toLocaleString('en')}/s per CPU-second ${rate.cpu >= target ? 'met' : 'MISSED'} (wall ${Math.round(rate.wall).toLocaleString('en')}/s)`;
  console.log(`target push >= 20,000/s: ${verdict(pushRate, 20_000)}`);
  console.log(`target email >= 5,000/s: ${verdict(emailRate, 5_000)}`);
  console.log(
    `ratio to the bare ceiling (CPU time): push x${(pushRate.cpu / pushCeiling.cpu).toFixed(2)}, email x${(emailRate.cpu / emailCeiling.cpu).toFixed(2)}; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`,
  );
  removeTemplateTrees();
  await Promise.resolve();
}
