import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import {
  DeleteItemsDto,
  DeleteItemsResultDto,
  ItemDto,
  ItemPageDto,
  ItemsByIdDto,
  SearchResultsDto,
  UpdateItemBody,
  UpdateItemDto,
} from '@imgsearch/search-api';
import { QueryErrorsInterceptor } from '../http/query-errors.interceptor';
import { SearchOptionsDto } from '../search/dto/search-options.dto';
import { SearchService } from '../search/search.service';
import { ItemsQueryDto } from './dto/items-query.dto';
import { ItemsService } from './items.service';

@ApiTags('items')
@ApiExtraModels(ItemsByIdDto, ItemPageDto)
@Controller('items')
@UseInterceptors(QueryErrorsInterceptor)
export class ItemsController {
  constructor(
    private readonly items: ItemsService,
    private readonly search: SearchService,
  ) {}

  /** `?ids=a,b` looks items up; otherwise a page of `limit` items matching `where`. */
  @Get()
  @ApiOkResponse({
    schema: {
      oneOf: [{ $ref: getSchemaPath(ItemsByIdDto) }, { $ref: getSchemaPath(ItemPageDto) }],
    },
  })
  find(@Query() dto: ItemsQueryDto): Promise<ItemsByIdDto | ItemPageDto> {
    return this.items.find(dto);
  }

  /** Deletes vectors and metadata only; the gateway deletes the files. */
  @Post('delete')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: DeleteItemsResultDto })
  delete(@Body() dto: DeleteItemsDto): Promise<DeleteItemsResultDto> {
    return this.items.delete(dto);
  }

  /** Nearest items to this one's stored vector, itself left out; 404 for an unknown id. */
  @Get(':id/similar')
  @ApiOkResponse({ type: SearchResultsDto })
  similar(@Param('id') id: string, @Query() dto: SearchOptionsDto): Promise<SearchResultsDto> {
    return this.search.similar(id, dto);
  }

  @Get(':id')
  @ApiOkResponse({ type: ItemDto })
  get(@Param('id') id: string): Promise<ItemDto> {
    return this.items.get(id);
  }

  @Patch(':id')
  @ApiBody({ type: UpdateItemDto })
  @ApiOkResponse({ type: ItemDto })
  update(@Param('id') id: string, @UpdateItemBody() dto: UpdateItemDto): Promise<ItemDto> {
    return this.items.update(id, dto);
  }
}
