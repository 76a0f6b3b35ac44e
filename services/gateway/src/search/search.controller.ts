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
import { IMAGE_SEARCH_FORM, SearchOptionsDto, SearchTextDto } from '@imgsearch/search-api';
import type { ImageUpload } from '../query-client/query-client.types';
import { RequestId } from '../query-client/request-id.decorator';
import { SearchResultsDto } from './dto/search-results.dto';
import { ImageUploadErrorsInterceptor } from './image-upload-errors.interceptor';
import { SearchService } from './search.service';

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
