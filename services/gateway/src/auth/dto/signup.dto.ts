import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class SignupDto {
  @ApiProperty({
    example: 'alice',
    minLength: 3,
    maxLength: 64,
    pattern: '^[a-zA-Z0-9._-]+$',
    description: 'Stored lower-case; unique regardless of case.',
  })
  @IsString()
  @Length(3, 64)
  @Matches(/^[a-zA-Z0-9._-]+$/, {
    message: 'username may contain only letters, digits, ".", "_" and "-"',
  })
  username!: string;

  @ApiProperty({
    example: 'correct horse battery staple',
    minLength: 8,
    maxLength: 256,
    description:
      'At least 8 characters, at most 256, not one character repeated, not the username.',
  })
  @IsString()
  password!: string;
}
