import { Module } from '@nestjs/common';
import { AudienceModule } from './audience.module';
import { LocaleTagsRefresh } from './locale-tags-refresh';

/** The worker side of audience facts: keeping stored facts in step with the current tagging rules. */
@Module({ imports: [AudienceModule], providers: [LocaleTagsRefresh] })
export class AudienceJobsModule {}
