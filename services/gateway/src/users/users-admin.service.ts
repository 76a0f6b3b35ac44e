import { Injectable } from '@nestjs/common';
import { User, UsersService } from '@imgsearch/auth';
import type { UpdateRoleDto } from './dto/update-role.dto';
import type { UserDetailsDto, UserListDto } from './dto/user-list.dto';

/** Admin views of the user directory, shaped for the API. */
@Injectable()
export class UsersAdminService {
  constructor(private readonly users: UsersService) {}

  async list(): Promise<UserListDto> {
    return { users: (await this.users.list()).map(toDetails) };
  }

  async setRole(id: string, dto: UpdateRoleDto): Promise<UserDetailsDto> {
    return toDetails(await this.users.setRole(id, dto.role));
  }
}

function toDetails(user: User): UserDetailsDto {
  return { id: user.id, username: user.username, role: user.role, createdAt: user.createdAt };
}
