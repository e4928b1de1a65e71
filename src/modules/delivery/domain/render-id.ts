import { createHash } from 'node:crypto';
import type { RenderedMessage } from '../../templates/template.types';

/**
 * The content address of a render: a digest of its JSON, so users who receive the same message share
 * one stored copy. Two renders with equal content and another key order get two ids, which only
 * costs a second copy, never a wrong one.
 */
export function renderIdOf(rendered: RenderedMessage): string {
  return createHash('sha256').update(JSON.stringify(rendered)).digest('base64url');
}
