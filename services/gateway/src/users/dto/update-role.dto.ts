import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '@imgsearch/auth';
import { IsIn } from 'class-validator';

export class UpdateRoleDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of: ${ROLES.join(', ')}` })
  role!: Role;
}
