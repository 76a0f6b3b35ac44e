import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '@imgsearch/auth';

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'alice', description: 'Lower-case.' })
  username!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;
}
