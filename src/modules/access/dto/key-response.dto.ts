import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiKey, SCOPES, Scope } from '../domain/api-key';

export class KeyResponse {
  @ApiProperty() keyId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: SCOPES, isArray: true }) scopes!: Scope[];
  @ApiPropertyOptional() rateLimit?: number;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional() revokedAt?: string;
}

export class CreatedKeyResponse extends KeyResponse {
  @ApiProperty({ description: 'The API key. It is shown only once.' })
  token!: string;
}

export function toKeyResponse(key: ApiKey): KeyResponse {
  return {
    keyId: key.keyId,
    name: key.name,
    scopes: key.scopes,
    ...(key.rateLimit !== undefined && { rateLimit: key.rateLimit }),
    createdAt: key.createdAt.toISOString(),
    ...(key.revokedAt && { revokedAt: key.revokedAt.toISOString() }),
  };
}
