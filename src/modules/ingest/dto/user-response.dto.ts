import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AttributeValue, ChannelConsent, PushToken, UserProfile } from '../domain/user-profile';
import { ConsentDto, PushTokenDto } from './put-user.dto';

export class UserResponse {
  @ApiProperty() userId!: string;
  @ApiPropertyOptional() email?: string;
  @ApiProperty({ type: [PushTokenDto] }) pushTokens!: PushToken[];
  @ApiPropertyOptional() locale?: string;
  @ApiPropertyOptional() timeZone?: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) attributes!: Record<string, AttributeValue>;
  @ApiProperty({ type: ConsentDto }) consent!: ChannelConsent;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class ErasureResponse {
  @ApiProperty() userId!: string;
  @ApiProperty({ example: { events: 120, users: 1 }, description: 'Records erased per kind of data' })
  erased!: Record<string, number>;
}

export function toUserResponse(user: UserProfile): UserResponse {
  return {
    userId: user.userId,
    ...(user.email !== undefined && { email: user.email }),
    pushTokens: user.pushTokens,
    ...(user.locale !== undefined && { locale: user.locale }),
    ...(user.timeZone !== undefined && { timeZone: user.timeZone }),
    attributes: user.attributes,
    consent: user.consent,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
