import { integer, text } from './parsers';
import { withDefault } from './llm.config';
import { defineNamespace, setting } from './setting';

/** Campaign definitions on disk and the limits of previews. */
export const campaignsNamespace = defineNamespace('campaigns', {
  dir: setting(
    'CAMPAIGNS_DIR',
    withDefault(text(), './campaigns'),
    'Folder of campaign definitions (YAML), resolved from the working directory.',
  ),
  previewSampleMax: setting(
    'CAMPAIGNS_PREVIEW_SAMPLE_MAX',
    withDefault(integer(1, 1000), 100),
    'Most users one sample preview renders.',
  ),
});
