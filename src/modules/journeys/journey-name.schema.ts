import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A validated LLM journey name, cached by naming signature (heaviest keywords, locale, prompt version). */
@Schema({ collection: 'journey_names', versionKey: false })
export class JourneyNameRecord {
  @Prop({ required: true, unique: true }) signature!: string;
  @Prop({ required: true }) name!: string;
  @Prop({ required: true }) locale!: string;
  @Prop({ required: true }) model!: string;
  @Prop({ required: true }) promptVersion!: string;
  @Prop({ required: true }) createdAt!: Date;
  /** The user whose journey was named first: erasing them erases the entry. */
  @Prop() userId?: string;
}

export const JourneyNameSchema = SchemaFactory.createForClass(JourneyNameRecord);
JourneyNameSchema.index({ userId: 1 }, { sparse: true });
