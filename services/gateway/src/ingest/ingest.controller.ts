import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  MessageEvent,
  Param,
  Post,
  Query,
  Sse,
  StreamableFile,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@imgsearch/auth';
import type { Observable } from 'rxjs';
import { CreateIngestDto, IngestUploadDto } from './dto/create-ingest.dto';
import { IngestAcceptedDto, IngestJobListDto, IngestStatusDto } from './dto/ingest-status.dto';
import { ListIngestJobsQuery } from './dto/list-ingest-jobs.query';
import { IngestStatusService } from './ingest-status.service';
import { IngestService } from './ingest.service';
import type { CatalogUpload } from './upload/catalog-upload';
import { IngestUploadInterceptor } from './upload/ingest-upload.interceptor';
import { UploadedCatalog } from './upload/uploaded-catalog.decorator';

@ApiTags('ingest')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/ingest')
export class IngestController {
  constructor(
    private readonly ingest: IngestService,
    private readonly statuses: IngestStatusService,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @UseInterceptors(IngestUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: IngestUploadDto })
  @ApiAcceptedResponse({ type: IngestAcceptedDto, description: 'Checked and queued.' })
  @ApiBadRequestResponse({ description: 'A file part is missing, or the mapping is invalid.' })
  @ApiPayloadTooLargeResponse({ description: 'A file, or a CSV row, is over its limit.' })
  @ApiUnsupportedMediaTypeResponse({
    description: 'Not multipart, a csv that is not text, or an archive that is not a ZIP.',
  })
  @ApiUnprocessableEntityResponse({
    description: 'The CSV lacks columns or rows, or the ZIP cannot be read.',
  })
  @ApiServiceUnavailableResponse({ description: 'The job queue cannot be reached.' })
  create(
    @UploadedCatalog() upload: CatalogUpload,
    @Body() dto: CreateIngestDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<IngestAcceptedDto> {
    return this.ingest.create(upload, dto, caller);
  }

  @Get()
  @ApiOkResponse({ type: IngestJobListDto })
  list(@Query() query: ListIngestJobsQuery): Promise<IngestJobListDto> {
    return this.statuses.list(query);
  }

  @Get(':jobId')
  @ApiOkResponse({ type: IngestStatusDto })
  @ApiNotFoundResponse({ description: 'No such job.' })
  status(@Param('jobId') jobId: string): Promise<IngestStatusDto> {
    return this.statuses.status(jobId);
  }

  @Sse(':jobId/events')
  @ApiProduces('text/event-stream')
  @ApiResponse({
    status: 200,
    description:
      'Server-sent events: the job status (as GET /api/ingest/:jobId) each time it changes, ' +
      'ending with its final state; a comment line every 15 s keeps the stream open.',
  })
  @ApiNotFoundResponse({ description: 'No such job.' })
  events(@Param('jobId') jobId: string): Promise<Observable<MessageEvent>> {
    return this.statuses.events(jobId);
  }

  @Get(':jobId/errors.csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'Every row error, columns `row,id,file,reason`, sorted by row.' })
  @ApiNotFoundResponse({ description: 'No such job.' })
  errorsCsv(@Param('jobId') jobId: string): Promise<StreamableFile> {
    return this.statuses.errorsCsv(jobId);
  }

  @Delete(':jobId')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({
    type: IngestStatusDto,
    description: 'Cancelling: chunks not started are dropped; the job ends `cancelled`.',
  })
  @ApiNotFoundResponse({ description: 'No such job.' })
  @ApiConflictResponse({ description: 'The job has already ended.' })
  cancel(@Param('jobId') jobId: string): Promise<IngestStatusDto> {
    return this.ingest.cancel(jobId);
  }
}
