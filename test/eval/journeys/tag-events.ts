import { EVENT_LIMITS } from '../../../src/lib/events/activity-event';
import { RawEvent } from '../../../src/lib/synthetic/population';

/** One tag applied by a user to a catalogue item, at a time (ms). */
export interface TagApplication {
  id: string;
  userId: string;
  at: number;
  itemId: string;
  title?: string;
  categories?: readonly string[];
  tag: string;
}

/**
 * A tag application as an activity event. A user's tag is their own name for a set of items, which is what a
 * board is, so it is a `save` of the item (title, categories) to a board named after the tag, with every text
 * cut to the event limits.
 */
export function tagSave(t: TagApplication): RawEvent {
  const title = t.title?.slice(0, EVENT_LIMITS.titleLength);
  const categories = t.categories?.slice(0, EVENT_LIMITS.categories);
  return {
    id: t.id,
    userId: t.userId,
    type: 'save',
    occurredAt: new Date(t.at).toISOString(),
    item: {
      id: t.itemId,
      ...(title && { title }),
      ...(categories && categories.length > 0 && { categories: [...categories] }),
    },
    board: { name: t.tag.slice(0, EVENT_LIMITS.boardNameLength) },
  };
}
