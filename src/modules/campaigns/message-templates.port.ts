import type {
  ContextShape,
  RenderedMessage,
  RenderOptions,
  TemplateChannel,
  TemplateProblem,
  TemplateRef,
} from '../templates/template.types';

/**
 * What campaigns need from the templates module: checking a template against the render context's
 * shape, and rendering it. Bound to the templates module's service in CampaignsModule.
 */
export abstract class MessageTemplates {
  abstract check(ref: TemplateRef, channel: TemplateChannel, shape: ContextShape): TemplateProblem[];
  abstract render(ref: TemplateRef, channel: TemplateChannel, context: object, options: RenderOptions): RenderedMessage;
}
