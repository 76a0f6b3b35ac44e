import {
  Body,
  Controller,
  HttpCode,
  HttpStatus,
  Post,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { ImageUpload } from '../query-client/query-client.types';
import { RequestId } from '../query-client/request-id.decorator';
import { SearchOptionsDto } from './dto/search-options.dto';
import { SearchResultsDto } from './dto/search-results.dto';
import { SearchTextDto } from './dto/search-text.dto';
import { ImageUploadErrorsInterceptor } from './image-upload-errors.interceptor';
import { SearchService } from './search.service';

const IMAGE_SEARCH_FORM = {
  type: 'object',
  required: ['image'],
  properties: {
    image: { type: 'string', format: 'binary' },
    topK: { type: 'integer', minimum: 1, default: 10 },
    where: { type: 'string', description: 'The metadata filter as a JSON object.' },
    minScore: { type: 'number', minimum: -1, maximum: 1 },
  },
};

@ApiTags('search')
@ApiBearerAuth()
@Controller('api/search')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  /** 400 "query text is empty" for an empty or whitespace-only query. */
  @Post('text')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SearchResultsDto })
  byText(@Body() dto: SearchTextDto, @RequestId() requestId?: string): Promise<SearchResultsDto> {
    return this.search.byText(dto, requestId);
  }

  /** 400 without a file, 413 above IMAGE_MAX_BYTES, 422 "cannot decode image: ..." for a non-image. */
  @Post('image')
  @HttpCode(HttpStatus.OK)
  @UseInterceptors(ImageUploadErrorsInterceptor, FileInterceptor('image'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: IMAGE_SEARCH_FORM })
  @ApiOkResponse({ type: SearchResultsDto })
  byImage(
    @UploadedFile() image: ImageUpload | undefined,
    @Body() dto: SearchOptionsDto,
    @RequestId() requestId?: string,
  ): Promise<SearchResultsDto> {
    return this.search.byImage(image, dto, requestId);
  }
}
