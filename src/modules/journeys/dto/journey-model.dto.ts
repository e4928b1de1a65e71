import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EmbedderStatus } from '../platform-embedder.service';

export class RecurrenceSize {
  @ApiProperty({ description: 'Keywords with their own recurrence rate (the rest get the platform mean)' })
  keywords!: number;
  @ApiProperty({ description: '(user, keyword) pairs of the internal time split it was learnt from' })
  examples!: number;
}

export class JourneyModelResponse {
  @ApiProperty({ description: 'Content hash of the trained platform embedder' }) version!: string;
  @ApiProperty() trainedAt!: string;
  @ApiProperty({ description: 'Users whose events it was trained on' }) users!: number;
  @ApiProperty({ description: 'Events it was trained on' }) events!: number;
  @ApiProperty() vocabulary!: number;
  @ApiPropertyOptional({
    type: RecurrenceSize,
    description: 'How likely users are to use a keyword again: keywords with a learnt rate, pairs learnt from',
  })
  recurrence?: RecurrenceSize;
  @ApiProperty({
    enum: ['platform', 'lexical'],
    description: 'lexical: the model saw too little, so builds cluster with character n-grams and word overlap',
  })
  clustering!: string;
  @ApiPropertyOptional({ description: 'Why the model is not clustered with' }) reason?: string;
  @ApiProperty({ description: 'Events stored now' }) eventsNow!: number;
  @ApiPropertyOptional({ description: 'Stored events at which it is retrained for growth (absent when disabled)' })
  retrainAtEvents?: number;
}

export class RetrainAcceptedResponse {
  @ApiProperty({ description: 'The queued retrain job; poll GET /v1/journey-models/current for the new version' })
  jobId!: string;
}

export function toJourneyModelResponse(status: EmbedderStatus): JourneyModelResponse {
  return { ...status, trainedAt: status.trainedAt.toISOString() };
}
