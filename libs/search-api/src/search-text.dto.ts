import { ApiProperty } from '@nestjs/swagger';
import { IsString, ValidateBy } from 'class-validator';
import { SearchOptionsDto } from './search-options.dto';

const MAX_QUERY_LENGTH = 1000;

/**
 * class-validator's MaxLength, except that it passes what is not a string: `{}` then hears only
 * "query must be a string", not also that it is too long.
 */
function MaxTextLength(max: number): PropertyDecorator {
  return ValidateBy({
    name: 'maxLength',
    constraints: [max],
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || value.length <= max,
      defaultMessage: (args) =>
        `${args?.property ?? 'value'} must be shorter than or equal to ${max} characters`,
    },
  });
}

export class SearchTextDto extends SearchOptionsDto {
  @ApiProperty({
    example: 'red linen shirt fabric',
    minLength: 1,
    maxLength: MAX_QUERY_LENGTH,
    description: "Not empty or only whitespace; texts longer than the model's context are cut.",
  })
  @IsString()
  @MaxTextLength(MAX_QUERY_LENGTH)
  query!: string;
}
