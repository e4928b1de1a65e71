import { Module } from '@nestjs/common';
import { ExperimentsController } from './experiments.controller';
import { ExperimentsModule } from './experiments.module';

/** The API role's part of experiments: the list and the reports over HTTP. */
@Module({ imports: [ExperimentsModule], controllers: [ExperimentsController] })
export class ExperimentsHttpModule {}
