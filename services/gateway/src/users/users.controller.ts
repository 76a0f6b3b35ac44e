import {
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Patch,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@imgsearch/auth';
import { AuthErrorsInterceptor } from '../auth/auth-errors.interceptor';
import { UpdateRoleDto } from './dto/update-role.dto';
import { UserDetailsDto, UserListDto } from './dto/user-list.dto';
import { UsersAdminService } from './users-admin.service';

@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/users')
@UseInterceptors(AuthErrorsInterceptor)
export class UsersController {
  constructor(private readonly users: UsersAdminService) {}

  @Get()
  @ApiOkResponse({ type: UserListDto })
  list(): Promise<UserListDto> {
    return this.users.list();
  }

  /** 409 when it would demote the last admin. */
  @Patch(':id')
  @ApiOkResponse({ type: UserDetailsDto })
  setRole(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateRoleDto,
  ): Promise<UserDetailsDto> {
    return this.users.setRole(id, dto);
  }
}
