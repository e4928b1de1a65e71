import { createHash } from 'node:crypto';
import { PlantedJourney } from '../../lib/synthetic/population';
import { THEMES } from '../../lib/synthetic/themes';
import { contentTokens, singularize } from '../../lib/text/normalize';

/**
 * How the demo's simulated people respond to a message, the effect the experiment has to find. A person
 * in the middle of a situational journey (planted in their synthetic history: a kitchen renovation, a
 * Japan trip) opens a message that speaks of it far more often than any other message. Nothing else
 * differs between the arms: the report's lift comes from which messages each arm writes.
 */
export const PLANTED_EFFECT = {
  /** Chance to open a message that is not about one of the reader's ongoing situational journeys. */
  openOtherwise: 0.1,
  /** Chance to open a message about one of them. */
  openOnOngoingJourney: 0.4,
  /** Chance to click, once opened. */
  clickWhenOpened: 0.5,
  /** Chance to convert (report a conversion), once clicked. */
  convertWhenClicked: 0.4,
} as const;

/** Words that belong to one theme only: finding one in a message says which journey it speaks of. */
const DISTINCTIVE: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const themesOf = new Map<string, Set<string>>();
  for (const theme of THEMES) {
    const text = [theme.name, ...theme.queries, ...theme.titles, ...theme.annotations, ...theme.boards].join(' ');
    for (const word of contentTokens(text).map(singularize)) {
      if (word.length < 4) continue;
      themesOf.set(word, (themesOf.get(word) ?? new Set()).add(theme.id));
    }
  }
  const byTheme = new Map<string, Set<string>>(THEMES.map((t) => [t.id, new Set<string>()]));
  for (const [word, themes] of themesOf) if (themes.size === 1) byTheme.get([...themes][0])!.add(word);
  return byTheme;
})();

/** The reader's ongoing situational journeys (theme ids) the message speaks of. */
export function journeysMentioned(text: string, planted: readonly PlantedJourney[]): string[] {
  const words = new Set(contentTokens(text).map(singularize));
  return planted
    .filter((j) => j.type === 'situational' && j.stage === 'ongoing')
    .map((j) => j.themeId)
    .filter((theme) => [...(DISTINCTIVE.get(theme) ?? [])].some((w) => words.has(w)));
}

/** One reader's response to one message: the chance to open it, and what they did. */
export interface ReaderResponse {
  openChance: number;
  opened: boolean;
  clicked: boolean;
  converted: boolean;
}

/** A uniform draw in [0, 1) fixed by the demo seed, the reader and message, and the step. */
function draw(seed: number, messageKey: string, step: string): number {
  return createHash('sha256').update(`${seed}|${messageKey}|${step}`).digest().readUInt32BE(0) / 2 ** 32;
}

/** How a reader with these planted journeys responds to a message with this text. */
export function respond(seed: number, messageKey: string, text: string, planted: readonly PlantedJourney[]) {
  const openChance =
    journeysMentioned(text, planted).length > 0 ? PLANTED_EFFECT.openOnOngoingJourney : PLANTED_EFFECT.openOtherwise;
  const opened = draw(seed, messageKey, 'open') < openChance;
  const clicked = opened && draw(seed, messageKey, 'click') < PLANTED_EFFECT.clickWhenOpened;
  const converted = clicked && draw(seed, messageKey, 'convert') < PLANTED_EFFECT.convertWhenClicked;
  return { openChance, opened, clicked, converted } satisfies ReaderResponse;
}
