import { EVENT_TYPES, EventType } from '../../../lib/events/activity-event';
import { ExtractedEvent, KeywordMention } from '../../journeys/domain/keywords';

/**
 * Extracted events as flat typed arrays plus one table of the distinct mentions they use: what crosses
 * between threads. The arrays are transferred (moved, not copied) and only the small mention table is
 * cloned, where a list of event objects would be cloned object by object.
 */
export interface PackedEvents {
  at: Float64Array;
  types: Uint8Array;
  mentionCounts: Uint32Array;
  mentionRefs: Int32Array;
  mentions: KeywordMention[];
}

const TYPE_INDEX = new Map<EventType, number>(EVENT_TYPES.map((t, i) => [t, i]));

/** Collects events into a {@link PackedEvents}; mentions are numbered by identity (events share them). */
export class EventPacker {
  private readonly at: number[] = [];
  private readonly types: number[] = [];
  private readonly counts: number[] = [];
  private readonly refs: number[] = [];
  private readonly mentions: KeywordMention[] = [];
  private readonly byObject = new Map<KeywordMention, number>();

  get length(): number {
    return this.at.length;
  }

  add(event: ExtractedEvent): void {
    this.at.push(event.at);
    this.types.push(TYPE_INDEX.get(event.type)!);
    this.counts.push(event.mentions.length);
    for (const m of event.mentions) this.refs.push(this.ref(m));
  }

  pack(): PackedEvents {
    return {
      at: Float64Array.from(this.at),
      types: Uint8Array.from(this.types),
      mentionCounts: Uint32Array.from(this.counts),
      mentionRefs: Int32Array.from(this.refs),
      mentions: this.mentions,
    };
  }

  private ref(m: KeywordMention): number {
    let id = this.byObject.get(m);
    if (id === undefined) {
      id = this.mentions.length;
      this.mentions.push(m);
      this.byObject.set(m, id);
    }
    return id;
  }
}

/** The buffers to transfer with a packed set of events. */
export function transferablesOf(packed: PackedEvents): ArrayBuffer[] {
  return [packed.at, packed.types, packed.mentionCounts, packed.mentionRefs].map((a) => a.buffer as ArrayBuffer);
}

/** Rebuilds the events; `mentions` may replace the packed table with shared objects of the same content. */
export function unpackEvents(packed: PackedEvents, mentions = packed.mentions): ExtractedEvent[] {
  const out: ExtractedEvent[] = new Array(packed.at.length);
  let r = 0;
  for (let i = 0; i < packed.at.length; i++) {
    const list: KeywordMention[] = new Array(packed.mentionCounts[i]);
    for (let j = 0; j < list.length; j++) list[j] = mentions[packed.mentionRefs[r++]];
    out[i] = { at: packed.at[i], type: EVENT_TYPES[packed.types[i]], mentions: list };
  }
  return out;
}
