/**
 * The contract of the templates module: what callers (personalization, campaigns, delivery) pass in
 * and get back. The module renders Handlebars templates from the top-level `templates/` folder; it
 * knows nothing about journeys or campaigns: the render context is plain data built by its callers.
 */

/** Channels a template renders for. */
export type TemplateChannel = 'push' | 'email';

/** A template's id: its folder under `templates/`, such as `push/journey-nudge` or `email/weekly-digest`. */
export type TemplateRef = string;

/** Length and size limits of a push message; a rendered push never exceeds them (clean truncation). */
export interface PushLimits {
  titleMaxChars: number;
  bodyMaxChars: number;
  /** Size of the whole provider payload (title, body, deep link, data) as UTF-8 JSON. */
  payloadMaxBytes: number;
}

export interface RenderOptions {
  /** The recipient's BCP 47 locale; a template resolves `fr-CA` → `fr` → its default. */
  locale: string;
  /** The recipient's IANA time zone, for the date helpers. */
  timeZone: string;
  /** Overrides of the configured push limits (a campaign may set tighter ones). */
  pushLimits?: Partial<PushLimits>;
  /** The instant relative times are measured from (`{{relativeTime}}`); defaults to the current time. */
  now?: Date;
  /**
   * The link placeholders' nonce (8 to 64 lower-case letters or digits); a new random one when absent.
   * Renders that share a random nonce come out identical for equal content, so they can be stored once;
   * it stays unguessable to recipients, whose messages only ever carry the resolved URLs.
   */
  linkNonce?: string;
}

/**
 * A link in a rendered message. The rendered text holds a placeholder for each one; delivery turns
 * it into a signed tracking URL with `TemplatesService.resolveLinks` before sending.
 */
export interface TrackedLink {
  /** Unique within one rendered message; appears in the placeholder. */
  id: string;
  kind: 'click' | 'unsubscribe';
  /** The destination as the template wrote it (for `unsubscribe`, the category it unsubscribes from). */
  url: string;
  /** The exact text standing for this link in the rendered parts; unguessable, different in every render. */
  placeholder: string;
}

/** Facts about the template that produced a message, recorded with every notification. */
export interface TemplateUsed {
  ref: TemplateRef;
  /** The locale variant actually used after fallback (`default` when none matched). */
  locale: string;
  /** Content hash of the template files (parts, layout, partials) that rendered the message. */
  hash: string;
}

export interface RenderedPush {
  channel: 'push';
  title: string;
  body: string;
  deepLink?: string;
  data: Record<string, string>;
  links: TrackedLink[];
  /** Parts that were shortened to fit the limits. */
  truncated: Array<'title' | 'body' | 'data'>;
  template: TemplateUsed;
}

export interface RenderedEmail {
  channel: 'email';
  subject: string;
  preheader: string;
  html: string;
  /** The template's text part, or one derived from the HTML when the template has none. */
  text: string;
  links: TrackedLink[];
  template: TemplateUsed;
}

export type RenderedMessage = RenderedPush | RenderedEmail;

/**
 * The variables a render context provides, for checking templates before anything is sent: an
 * object maps names to their shape, `'value'` is a scalar, `'*'` allows any name below it (free-form
 * user attributes), and a one-element array describes each element of a list (`#each`).
 */
export type ContextShape = 'value' | '*' | readonly [ContextShape] | { readonly [name: string]: ContextShape };

/** A mistake found in a template: unknown variable, unknown helper or partial, syntax error, missing part. */
export interface TemplateProblem {
  ref: TemplateRef;
  /** Path of the file relative to the templates folder. */
  file: string;
  line: number;
  column: number;
  /** The variable path (`journey.nmae`) when the problem is an unknown variable. */
  variable?: string;
  message: string;
}

/** A template as listed: its channel and the locales it has besides its default. */
export interface TemplateSummary {
  ref: TemplateRef;
  channel: TemplateChannel;
  locales: string[];
  /** From the template's `template.json`, when it has one. */
  description?: string;
}

/** Turns a tracked link into the final URL delivery sends (signed click redirect, unsubscribe URL). */
export type LinkResolver = (link: TrackedLink) => string;
