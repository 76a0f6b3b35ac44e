import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { SearchOptionsDto } from './search-options.dto';

export class SearchTextDto extends SearchOptionsDto {
  @ApiProperty({
    example: 'red linen shirt fabric',
    minLength: 1,
    maxLength: 1000,
    description: "Not empty or only whitespace; texts longer than the model's context are cut.",
  })
  @IsString()
  @MaxLength(1000)
  query!: string;
}
