import { integer, text } from './parsers';
import { withDefault } from './llm.config';
import { defineNamespace, setting } from './setting';

/** Where templates live and the push limits every rendered push is fitted to (FCM and APNs defaults). */
export const templatesNamespace = defineNamespace('templates', {
  dir: setting(
    'TEMPLATES_DIR',
    withDefault(text(), './templates'),
    'Folder of the Handlebars templates, resolved from the working directory.',
  ),
  pushTitleMaxChars: setting(
    'PUSH_TITLE_MAX_CHARS',
    withDefault(integer(10, 1000), 65),
    'Longest push title in characters; longer titles are cut on a word boundary.',
  ),
  pushBodyMaxChars: setting(
    'PUSH_BODY_MAX_CHARS',
    withDefault(integer(10, 4000), 240),
    'Longest push body in characters; longer bodies are cut on a word boundary.',
  ),
  pushPayloadMaxBytes: setting(
    'PUSH_PAYLOAD_MAX_BYTES',
    withDefault(integer(1024, 65_536), 4096),
    'Largest push payload a provider receives (title, body, deep link, data and what delivery adds, as UTF-8 JSON); FCM and APNs allow 4 KB.',
  ),
});
