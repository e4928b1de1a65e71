import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export type ExpansionSource = 'llm' | 'embedder';

/** Related journeys of one journey name (per locale), generated once and shared by every user. */
@Schema({ collection: 'journey_expansions', versionKey: false })
export class JourneyExpansionRecord {
  /** expansionKey(name, locale). */
  @Prop({ required: true, unique: true }) key!: string;
  @Prop({ required: true }) name!: string;
  @Prop({ required: true }) locale!: string;
  @Prop({ type: [String], required: true }) related!: string[];
  @Prop({ type: String, required: true, enum: ['llm', 'embedder'] }) source!: ExpansionSource;
  /** The chat model, or the embedder version. */
  @Prop({ required: true }) model!: string;
  @Prop({ required: true }) promptVersion!: string;
  @Prop({ required: true }) createdAt!: Date;
  /** The user whose journey of this name it was generated for: erasing them erases the entry. */
  @Prop() userId?: string;
}

export const JourneyExpansionSchema = SchemaFactory.createForClass(JourneyExpansionRecord);
JourneyExpansionSchema.index({ userId: 1 }, { sparse: true });
