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
import { ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IMAGE_SEARCH_FORM, SearchResultsDto } from '@imgsearch/search-api';
import { QueryErrorsInterceptor } from '../http/query-errors.interceptor';
import { SearchOptionsDto } from './dto/search-options.dto';
import { SearchTextDto } from './dto/search-text.dto';
import { SearchService, type UploadedImage } from './search.service';

@ApiTags('search')
@Controller('search')
@UseInterceptors(QueryErrorsInterceptor)
export class SearchController {
  constructor(private readonly search: SearchService) {}

  /** 400 "query text is empty" for an empty or whitespace-only query. */
  @Post('text')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SearchResultsDto })
  byText(@Body() dto: SearchTextDto): Promise<SearchResultsDto> {
    return this.search.byText(dto);
  }

  /** 400 without a file, 413 above IMAGE_MAX_BYTES, 422 "cannot decode image: ..." for a non-image. */
  @Post('image')
  @HttpCode(HttpStatus.OK)
  @UseInterceptors(FileInterceptor('image'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: IMAGE_SEARCH_FORM })
  @ApiOkResponse({ type: SearchResultsDto })
  byImage(
    @UploadedFile() image: UploadedImage | undefined,
    @Body() dto: SearchOptionsDto,
  ): Promise<SearchResultsDto> {
    return this.search.byImage(image, dto);
  }
}
