import { Body, Controller, Delete, Get, Param, Put, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { StatusResponse } from '../../common/http/status-response';
import { Auth } from '../access/auth.decorator';
import { ErasureResponse, UserResponse, toUserResponse } from './dto/user-response.dto';
import { PutUserDto, StoredUserIdParams, UserIdParams } from './dto/put-user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Put(':userId')
  @Auth('ingest')
  @ApiOkResponse({ type: UserResponse, description: '200 when updated, 201 when created' })
  async putUser(
    @Param() { userId }: UserIdParams,
    @Body() dto: PutUserDto,
    @Res({ passthrough: true }) res: StatusResponse,
  ): Promise<UserResponse> {
    const { user, created } = await this.users.putUser(userId, dto);
    res.status(created ? 201 : 200);
    return toUserResponse(user);
  }

  @Get(':userId')
  @Auth('admin')
  @ApiOkResponse({ type: UserResponse })
  async getUser(@Param() { userId }: StoredUserIdParams): Promise<UserResponse> {
    return toUserResponse(await this.users.getUser(userId));
  }

  @Delete(':userId')
  @Auth('admin')
  @ApiOkResponse({ type: ErasureResponse })
  async eraseUser(@Param() { userId }: StoredUserIdParams): Promise<ErasureResponse> {
    return { userId, erased: await this.users.eraseUser(userId) };
  }
}
