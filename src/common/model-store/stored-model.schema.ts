import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One version of a trained model (platform embedder, journey ranker); its bytes live in model chunks. */
@Schema({ collection: 'models', timestamps: { createdAt: true, updatedAt: false } })
export class StoredModelRecord {
  @Prop({ required: true }) kind!: string;
  @Prop({ required: true }) version!: string;
  @Prop({ required: true }) byteLength!: number;
  @Prop({ required: true }) chunkCount!: number;
  @Prop({ required: true }) sha256!: string;
  /** Small, queryable facts about the model: training size, metrics, parameters. */
  @Prop({ type: Object, default: {} }) meta!: Record<string, unknown>;
  /** Set once every chunk is written, so a crash mid-save never yields a half model. */
  @Prop({ required: true, default: false }) complete!: boolean;
  createdAt!: Date;
}

export const StoredModelSchema = SchemaFactory.createForClass(StoredModelRecord);
StoredModelSchema.index({ kind: 1, version: 1 }, { unique: true });
StoredModelSchema.index({ kind: 1, complete: 1, createdAt: -1 });

/** A slice of a model's bytes; 4 MiB keeps every document far below the 16 MiB BSON limit. */
@Schema({ collection: 'model_chunks' })
export class ModelChunkRecord {
  @Prop({ required: true }) kind!: string;
  @Prop({ required: true }) version!: string;
  @Prop({ required: true }) n!: number;
  @Prop({ type: Buffer, required: true }) data!: Buffer;
}

export const ModelChunkSchema = SchemaFactory.createForClass(ModelChunkRecord);
ModelChunkSchema.index({ kind: 1, version: 1, n: 1 }, { unique: true });
