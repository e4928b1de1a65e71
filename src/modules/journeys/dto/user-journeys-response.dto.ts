import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UserJourneysView } from '../journeys.service';

export class JourneyKeywordResponse {
  @ApiProperty() text!: string;
  @ApiProperty({ description: "Relative to the journey's strongest keyword (1)" }) weight!: number;
}

export class JourneyExpansionResponse {
  @ApiProperty({ type: [String], description: 'Related journeys, generated once per journey name' }) related!: string[];
  @ApiProperty({ enum: ['llm', 'embedder'] }) source!: string;
  @ApiProperty() model!: string;
  @ApiProperty() promptVersion!: string;
}

export class JourneyResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['keyword', 'llm'] }) namedBy!: string;
  @ApiProperty() rank!: number;
  @ApiProperty() score!: number;
  @ApiProperty() confidence!: number;
  @ApiProperty({ enum: ['ongoing', 'ended'] }) stage!: string;
  @ApiProperty({ enum: ['situational', 'evergreen'] }) type!: string;
  @ApiProperty({ type: [JourneyKeywordResponse] }) keywords!: JourneyKeywordResponse[];
  @ApiProperty({
    description:
      'In a sensitive category (health, finance, ...) by the safety policy in force now or the one it was built ' +
      'under: shown, but not notified about by default',
  })
  sensitive!: boolean;
  @ApiProperty({ description: 'Whether campaigns may notify about this journey, by the safety policy in force now' })
  notifiable!: boolean;
  @ApiProperty({
    type: [String],
    description: 'Its sensitive categories: those its build found and those the policy in force now finds, sorted',
  })
  sensitiveCategories!: string[];
  @ApiProperty() lastSeen!: string;
  @ApiPropertyOptional({ type: JourneyExpansionResponse }) expansion?: JourneyExpansionResponse;
}

export class UserJourneysResponse {
  @ApiProperty() userId!: string;
  @ApiProperty() generatedAt!: string;
  @ApiProperty() modelVersion!: string;
  @ApiProperty() buildRunId!: string;
  @ApiProperty() buildCount!: number;
  @ApiProperty({ type: [JourneyResponse] }) journeys!: JourneyResponse[];
}

export function toUserJourneysResponse(view: UserJourneysView): UserJourneysResponse {
  return {
    userId: view.userId,
    generatedAt: view.generatedAt.toISOString(),
    modelVersion: view.modelVersion,
    buildRunId: view.buildRunId,
    buildCount: view.buildCount,
    journeys: view.journeys.map(({ journey, notifiable, expansion }) => ({
      id: journey.id,
      name: journey.name,
      namedBy: journey.namedBy,
      rank: journey.rank,
      score: journey.score,
      confidence: journey.confidence,
      stage: journey.stage,
      type: journey.type,
      keywords: journey.keywords.map(({ text, weight }) => ({ text, weight })),
      sensitive: journey.sensitiveCategories.length > 0,
      sensitiveCategories: journey.sensitiveCategories,
      notifiable,
      lastSeen: new Date(journey.engagement.lastSeen).toISOString(),
      ...(expansion && {
        expansion: {
          related: expansion.related,
          source: expansion.source,
          model: expansion.model,
          promptVersion: expansion.promptVersion,
        },
      }),
    })),
  };
}
