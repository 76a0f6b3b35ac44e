import { ApiProperty } from '@nestjs/swagger';
import { UserDto } from '../../auth/dto/user.dto';

export class UserDetailsDto extends UserDto {
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;
}

export class UserListDto {
  @ApiProperty({ type: [UserDetailsDto], description: 'Oldest first.' })
  users!: UserDetailsDto[];
}
