import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsLocale,
  IsOptional,
  IsString,
  IsTimeZone,
  Length,
  MaxLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { AttributeValue, PUSH_PLATFORMS, PushPlatform, USER_LIMITS, attributesProblem } from '../domain/user-profile';

function IsFlatAttributes() {
  return ValidateBy({
    name: 'isFlatAttributes',
    validator: {
      validate: (value) => attributesProblem(value) === undefined,
      defaultMessage: (args) => `attributes ${attributesProblem(args?.value) ?? 'are invalid'}`,
    },
  });
}

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
  @IsLocale()
  locale?: string;

  @ApiPropertyOptional({ example: 'Europe/Paris', description: 'IANA time zone' })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ example: { plan: 'pro', signupYear: 2024 } })
  @IsOptional()
  @IsFlatAttributes()
  attributes?: Record<string, AttributeValue>;

  @ApiPropertyOptional({ type: ConsentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConsentDto)
  consent?: ConsentDto;
}

export class UserIdParams {
  @IsString()
  @Length(1, 256)
  userId!: string;
}
