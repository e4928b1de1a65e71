import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** The console's sections, in navigation order. */
export const SECTIONS = ['campaigns', 'runs', 'experiments', 'journeys', 'queues'] as const;
export type Section = (typeof SECTIONS)[number];

export interface PageChrome {
  title: string;
  section?: Section;
  session?: { keyName: string; csrf: string };
}

const VIEWS_DIR = __dirname;

/**
 * The console's view engine: a private Handlebars environment over the `.hbs` files next to this one,
 * compiled once at boot. `{{ }}` HTML-escapes everything; prototype access stays off; each page is
 * rendered into `layout.hbs`.
 */
@Injectable()
export class ConsoleViews {
  private readonly env = Handlebars.create();
  private readonly pages = new Map<string, Handlebars.TemplateDelegate>();
  private readonly layout: Handlebars.TemplateDelegate;
  /** The stylesheet served at /console/assets/console.css. */
  readonly stylesheet = readFileSync(join(VIEWS_DIR, 'console.css'), 'utf8');

  constructor() {
    this.env.registerHelper({
      eq: (a: unknown, b: unknown) => a === b,
      // A value inside a link's path or query: `{{ }}` escapes HTML, not `&`, `#`, `+` or `%` of a URL.
      uri: (value: unknown) => encodeURIComponent(String(value ?? '')),
      json: (value: unknown) => JSON.stringify(value, null, 2),
      datetime: (value: unknown) => (value instanceof Date ? value.toISOString().replace('.000Z', 'Z') : value),
      percent: (value: unknown) => (typeof value === 'number' ? `${(value * 100).toFixed(1)}%` : ''),
      fixed: (value: unknown, digits: unknown) =>
        typeof value === 'number' ? value.toFixed(typeof digits === 'number' ? digits : 2) : '',
    });
    for (const file of readdirSync(join(VIEWS_DIR, 'partials')).filter((f) => f.endsWith('.hbs'))) {
      this.env.registerPartial(basename(file, '.hbs'), readFileSync(join(VIEWS_DIR, 'partials', file), 'utf8'));
    }
    for (const file of readdirSync(VIEWS_DIR).filter((f) => f.endsWith('.hbs'))) {
      this.pages.set(basename(file, '.hbs'), this.env.compile(readFileSync(join(VIEWS_DIR, file), 'utf8')));
    }
    this.layout = this.pages.get('layout')!;
  }

  /** A whole HTML page: the named view inside the layout with its navigation. */
  render(view: string, chrome: PageChrome, data: Record<string, unknown> = {}): string {
    const page = this.pages.get(view);
    if (!page) throw new Error(`no console view ${view}`);
    const options = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };
    const body = page({ ...data, session: chrome.session }, options);
    const nav = SECTIONS.map((s) => ({ id: s, label: s[0].toUpperCase() + s.slice(1), current: s === chrome.section }));
    return this.layout({ ...chrome, nav, body }, options);
  }
}
