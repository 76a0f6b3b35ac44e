import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
  StreamableFile,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Roles } from '@imgsearch/auth';
import {
  DeleteItemsDto,
  DeleteItemsResultDto,
  ItemsQueryDto,
  SearchOptionsDto,
  UpdateItemBody,
  UpdateItemDto,
} from '@imgsearch/search-api';
import { RequestId } from '../query-client/request-id.decorator';
import { SearchResultsDto } from '../search/dto/search-results.dto';
import { ItemDto } from './dto/item.dto';
import { ItemPageDto, ItemsByIdDto } from './dto/item-lists.dto';
import { FileCacheInterceptor } from './file-cache.interceptor';
import { ItemFilesService } from './item-files.service';
import { ItemsService } from './items.service';

const BINARY = { schema: { type: 'string', format: 'binary' } };

@ApiTags('items')
@ApiBearerAuth()
@ApiExtraModels(ItemsByIdDto, ItemPageDto)
@Controller('api/items')
export class ItemsController {
  constructor(
    private readonly items: ItemsService,
    private readonly files: ItemFilesService,
  ) {}

  /** `?ids=a,b` looks items up; otherwise a page of `limit` items matching `where`. */
  @Get()
  @ApiOkResponse({
    schema: {
      oneOf: [{ $ref: getSchemaPath(ItemsByIdDto) }, { $ref: getSchemaPath(ItemPageDto) }],
    },
  })
  find(
    @Query() dto: ItemsQueryDto,
    @RequestId() requestId?: string,
  ): Promise<ItemsByIdDto | ItemPageDto> {
    return this.items.find(dto, requestId);
  }

  /** Deletes the items' vectors, originals and thumbnails. */
  @Post('delete')
  @Roles('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: DeleteItemsResultDto })
  deleteMany(
    @Body() dto: DeleteItemsDto,
    @RequestId() requestId?: string,
  ): Promise<DeleteItemsResultDto> {
    return this.items.deleteMany(dto, requestId);
  }

  /** Nearest items to this one (by its stored vector), itself left out. */
  @Get(':id/similar')
  @ApiOkResponse({ type: SearchResultsDto })
  similar(
    @Param('id') id: string,
    @Query() dto: SearchOptionsDto,
    @RequestId() requestId?: string,
  ): Promise<SearchResultsDto> {
    return this.items.similar(id, dto, requestId);
  }

  /** The stored original, with its type read from its first bytes. */
  @Get(':id/image')
  @UseInterceptors(FileCacheInterceptor)
  @ApiProduces(
    'image/jpeg',
    'image/png',
    'image/webp',
    'image/gif',
    'image/tiff',
    'image/bmp',
    'image/avif',
  )
  @ApiOkResponse(BINARY)
  image(@Param('id') id: string): Promise<StreamableFile> {
    return this.files.original(id);
  }

  /** A small JPEG. */
  @Get(':id/thumbnail')
  @UseInterceptors(FileCacheInterceptor)
  @ApiProduces('image/jpeg')
  @ApiOkResponse(BINARY)
  thumbnail(@Param('id') id: string): Promise<StreamableFile> {
    return this.files.thumbnail(id);
  }

  @Get(':id')
  @ApiOkResponse({ type: ItemDto })
  get(@Param('id') id: string, @RequestId() requestId?: string): Promise<ItemDto> {
    return this.items.get(id, requestId);
  }

  /** Merges `metadata` (`null` removes a key); the vector is kept. */
  @Patch(':id')
  @Roles('admin')
  @ApiBody({ type: UpdateItemDto })
  @ApiOkResponse({ type: ItemDto })
  update(
    @Param('id') id: string,
    @UpdateItemBody() dto: UpdateItemDto,
    @RequestId() requestId?: string,
  ): Promise<ItemDto> {
    return this.items.update(id, dto, requestId);
  }

  /** Deletes the item's vector, original and thumbnail. */
  @Delete(':id')
  @Roles('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  delete(@Param('id') id: string, @RequestId() requestId?: string): Promise<void> {
    return this.items.deleteOne(id, requestId);
  }
}
