import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsLocale,
  IsObject,
  IsOptional,
  IsString,
  IsTimeZone,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { FreeForm } from '../../../common/http/free-form.decorator';
import { ATTRIBUTE_RULES, AttributeValue, PUSH_PLATFORMS, PushPlatform, USER_LIMITS } from '../domain/user-profile';

export class PushTokenDto {
  @ApiProperty({ enum: PUSH_PLATFORMS })
  @IsIn(PUSH_PLATFORMS)
  platform!: PushPlatform;

  @ApiProperty()
  @IsString()
  @Length(1, 4096)
  token!: string;
}

export class ConsentDto {
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  email?: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  push?: boolean;
}

/** The full profile; PUT replaces it, so an omitted field is cleared. */
export class PutUserDto {
  @ApiPropertyOptional({ example: 'ana@example.com' })
  @IsOptional()
  @IsString()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ type: [PushTokenDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(USER_LIMITS.pushTokens)
  @ValidateNested({ each: true })
  @Type(() => PushTokenDto)
  pushTokens?: PushTokenDto[];

  @ApiPropertyOptional({ example: 'en-GB' })
  @IsOptional()
  @IsString()
  @IsLocale()
  locale?: string;

  @ApiPropertyOptional({ example: 'Europe/Paris', description: 'IANA time zone' })
  @IsOptional()
  @IsString()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ example: { plan: 'pro', signupYear: 2024 } })
  @IsOptional()
  @FreeForm(ATTRIBUTE_RULES)
  attributes?: Record<string, AttributeValue>;

  @ApiPropertyOptional({ type: ConsentDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ConsentDto)
  consent?: ConsentDto;
}

export class UserIdParams {
  @IsString()
  @Length(1, 256)
  userId!: string;
}
