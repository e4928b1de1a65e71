/** Plain types shared by the copy prompt, its validation, the cache and the render context. */

export type CopyChannel = 'push' | 'email';

/** What LLM copy is about: a journey as the prompt sees it (user text, so always delimited). */
export interface CopySubject {
  name: string;
  /** Heaviest keywords first. */
  keywords: string[];
  stage: 'ongoing' | 'ended';
  type: 'situational' | 'evergreen';
  related: string[];
}

/** Longest accepted line per part; push uses title/body, email subject/preheader/intro. */
export interface CopyLimits {
  titleMaxChars: number;
  bodyMaxChars: number;
  subjectMaxChars: number;
  preheaderMaxChars: number;
  introMaxChars: number;
}

export const DEFAULT_COPY_LIMITS: CopyLimits = {
  titleMaxChars: 50,
  bodyMaxChars: 150,
  subjectMaxChars: 70,
  preheaderMaxChars: 110,
  introMaxChars: 400,
};

/** Everything that shapes one LLM copy call; equal requests share one cached answer. */
export interface CopyRequest {
  channel: CopyChannel;
  subject: CopySubject;
  /** BCP 47 locale the copy must be written in. */
  locale: string;
  tone: string;
  limits: CopyLimits;
  allowUrls: boolean;
  allowHtml: boolean;
  /** Lower-case terms the copy may not contain (the deployment's blocklist and sensitive terms). */
  blockedTerms: readonly string[];
  promptVersion: string;
}

/** Copy lines written by the LLM: `title`/`body` for push, `subject`/`preheader`/`intro` for email. */
export type GeneratedCopy = Partial<Record<'title' | 'body' | 'subject' | 'preheader' | 'intro', string>>;

/** The parts the LLM writes for each channel. */
export const COPY_PARTS: Record<CopyChannel, ReadonlyArray<keyof GeneratedCopy>> = {
  push: ['title', 'body'],
  email: ['subject', 'preheader', 'intro'],
};

/**
 * The one part a template shows as HTML (the email's intro paragraph): where `allowHtml` applies. Subjects,
 * preheaders and push text are plain text, where a tag would show as it is.
 */
export const HTML_PART: keyof GeneratedCopy = 'intro';

/** The limit that applies to one part. */
export function limitOf(part: keyof GeneratedCopy, limits: CopyLimits): number {
  return limits[`${part}MaxChars` as keyof CopyLimits];
}

/** Where the copy came from, recorded with every message. */
export interface CopyProvenance {
  source: 'llm' | 'template';
  promptVersion?: string;
  model?: string;
  fallbackReason?: string;
  cacheHit?: boolean;
  /** The subject journey's copy signature (journey variants). */
  signature?: string;
}
