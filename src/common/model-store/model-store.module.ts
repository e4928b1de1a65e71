import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ModelRepository } from './model.repository';
import { ModelChunkRecord, ModelChunkSchema, StoredModelRecord, StoredModelSchema } from './stored-model.schema';

/** Versioned storage of trained models, shared by the journeys (embedder) and ranking (ranker) modules. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: StoredModelRecord.name, schema: StoredModelSchema },
      { name: ModelChunkRecord.name, schema: ModelChunkSchema },
    ]),
  ],
  providers: [ModelRepository],
  exports: [ModelRepository],
})
export class ModelStoreModule {}
