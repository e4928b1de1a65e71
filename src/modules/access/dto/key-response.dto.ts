import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiKey, SCOPES, Scope } from '../domain/api-key';
import { KeyStatus, keyStatus } from '../domain/key-lifetime';

export class KeyResponse {
  @ApiProperty() keyId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: SCOPES, isArray: true }) scopes!: Scope[];
  @ApiPropertyOptional() rateLimit?: number;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional() revokedAt?: string;
  @ApiPropertyOptional() expiresAt?: string;
  @ApiPropertyOptional({ description: 'Last authenticated use, to the minute' }) lastUsedAt?: string;
  @ApiProperty({ enum: ['active', 'revoked', 'expired'] }) status!: KeyStatus;
}

export class CreatedKeyResponse extends KeyResponse {
  @ApiProperty({ description: 'The API key. It is shown only once.' })
  token!: string;
}

export function toKeyResponse(key: ApiKey, now = new Date()): KeyResponse {
  return {
    keyId: key.keyId,
    name: key.name,
    scopes: key.scopes,
    ...(key.rateLimit !== undefined && { rateLimit: key.rateLimit }),
    createdAt: key.createdAt.toISOString(),
    ...(key.revokedAt && { revokedAt: key.revokedAt.toISOString() }),
    ...(key.expiresAt && { expiresAt: key.expiresAt.toISOString() }),
    ...(key.lastUsedAt && { lastUsedAt: key.lastUsedAt.toISOString() }),
    status: keyStatus(key, now),
  };
}
