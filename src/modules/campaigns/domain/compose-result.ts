import type { CopyProvenance } from '../../personalization/domain/copy-types';
import type { RenderContext } from '../../personalization/domain/render-context';
import type { RenderedMessage, TemplateUsed } from '../../templates/template.types';
import type { CampaignChannel, CopyVariant } from './campaign-definition';

/** Why a user gets no message; `rule` names the definition field and `value` what the user had. */
export interface SkipReason {
  code:
    | 'no-profile'
    | 'no-consent'
    | 'no-address'
    | 'audience-rule'
    | 'no-journeys'
    | 'no-notifiable-journey'
    | 'no-interest'
    | 'holdout'
    | 'guard'
    | 'render-failed';
  message: string;
  rule?: string;
  value?: unknown;
  /** The guard that refused (for `guard`). */
  guard?: string;
}

/** The variant a message is composed for: the campaign's own copy, or an experiment arm. */
export interface ComposeVariant {
  id: string;
  copy: CopyVariant;
  template?: string;
  promptVersion?: string;
}

/** A rendered message and the facts recorded with it (what produced it and what it is about). */
export interface ComposedMessage {
  campaignId: string;
  /** The definition's content hash the message was composed from. */
  contentHash?: string;
  userId: string;
  channel: CampaignChannel;
  variant: { id: string; copy: CopyVariant };
  subject: { kind: 'journey' | 'interest'; id: string; name: string; signature?: string };
  /** Every subject the message shows (top-K), best first. */
  subjects: Array<{ kind: 'journey' | 'interest'; id: string; name: string }>;
  copy: CopyProvenance;
  template: TemplateUsed;
  rendered: RenderedMessage;
  context: RenderContext;
}

export type ComposeResult =
  | { status: 'skip'; campaignId: string; userId: string; variant: { id: string; copy: CopyVariant }; skip: SkipReason }
  | { status: 'message'; message: ComposedMessage };
