import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FieldValidationException } from '../../common/http/field-errors';
import { AccessService } from './access.service';
import { resolveExpiry } from './domain/key-lifetime';
import { Auth } from './auth.decorator';
import { CreateKeyDto } from './dto/create-key.dto';
import { KeyIdParams } from './dto/key-id.params';
import { ListKeysQuery } from './dto/list-keys.query';
import { CreatedKeyResponse, KeyResponse, toKeyResponse } from './dto/key-response.dto';

@ApiTags('keys')
@Auth('admin')
@Controller('v1/keys')
export class KeysController {
  constructor(private readonly access: AccessService) {}

  @Post()
  async createKey(@Body() dto: CreateKeyDto): Promise<CreatedKeyResponse> {
    const expiry = resolveExpiry(dto, new Date());
    if (!expiry.ok) throw new FieldValidationException([expiry.error]);
    const { key, token } = await this.access.createKey({
      name: dto.name,
      scopes: [dto.scope],
      rateLimit: dto.rateLimit,
      expiresAt: expiry.expiresAt,
    });
    return { ...toKeyResponse(key), token };
  }

  @Get()
  async listKeys(@Query() query: ListKeysQuery): Promise<KeyResponse[]> {
    const keys = await this.access.listKeyPage(query);
    if (!keys) throw new FieldValidationException([{ field: 'after', message: `no API key ${query.after}` }]);
    return keys.map((key) => toKeyResponse(key));
  }

  @Delete(':keyId')
  @HttpCode(204)
  revokeKey(@Param() { keyId }: KeyIdParams): Promise<void> {
    return this.access.revokeKey(keyId);
  }
}
