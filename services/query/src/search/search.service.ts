import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import {
  DEFAULT_TOP_K,
  type SearchOptionsDto,
  type SearchResultsDto,
  type SearchTextDto,
} from '@imgsearch/search-api';
import { ChromaImageRepository, type WhereFilter } from '@imgsearch/vector-store';
import { ClipQueryEncoder } from '../encoder/clip-query.encoder';
import { ItemNotFoundError } from '../items/item-not-found.error';
import { QUERY_CONFIG, QueryConfig } from '../query.config';
import { searchesTotal, SearchKind } from '../query.metrics';

/** The part of an uploaded file a search reads. */
export interface UploadedImage {
  buffer: Buffer;
}

interface SearchPlan {
  topK: number;
  where?: WhereFilter;
  minScore?: number;
  /** The item whose neighbours are wanted, which is not its own neighbour. */
  exclude?: string;
}

/** Finds the stored items nearest to a text, a picture, or a stored item. */
@Injectable()
export class SearchService {
  constructor(
    private readonly encoder: ClipQueryEncoder,
    private readonly vectors: ChromaImageRepository,
    @Inject(QUERY_CONFIG) private readonly config: Pick<QueryConfig, 'SEARCH_MAX_TOP_K'>,
  ) {}

  async byText(dto: SearchTextDto): Promise<SearchResultsDto> {
    const plan = this.plan(dto);
    return this.search('text', await this.encoder.embedText(dto.query), plan);
  }

  async byImage(
    image: UploadedImage | undefined,
    dto: SearchOptionsDto,
  ): Promise<SearchResultsDto> {
    if (!image) throw new BadRequestException('image file is required');
    const plan = this.plan(dto);
    return this.search('image', await this.encoder.embedImage(image.buffer), plan);
  }

  /** Uses the item's stored vector as the query: nothing is embedded again. */
  async similar(id: string, dto: SearchOptionsDto): Promise<SearchResultsDto> {
    const plan = { ...this.plan(dto), exclude: id };
    const embedding = await this.vectors.getEmbedding(id);
    if (!embedding) throw new ItemNotFoundError(id);
    return this.search('similar', embedding, plan);
  }

  /** Checked before any encoding, so a bad request costs no inference. */
  private plan(dto: SearchOptionsDto): SearchPlan {
    const topK = dto.topK ?? DEFAULT_TOP_K;
    if (topK > this.config.SEARCH_MAX_TOP_K)
      throw new BadRequestException(
        `topK must not be greater than ${this.config.SEARCH_MAX_TOP_K}`,
      );
    return { topK, where: dto.where, minScore: dto.minScore };
  }

  private async search(
    kind: SearchKind,
    embedding: Float32Array,
    plan: SearchPlan,
  ): Promise<SearchResultsDto> {
    const found = await this.vectors.nearest({
      embedding,
      topK: plan.topK,
      where: plan.where,
      excludeIds: plan.exclude === undefined ? undefined : [plan.exclude],
    });
    searchesTotal.inc({ kind });
    const results = found
      .filter((item) => item.id !== plan.exclude)
      // Float rounding in Chroma's distance can step just outside [-1, 1].
      .map(({ id, score, metadata }) => ({ id, score: Math.min(1, Math.max(-1, score)), metadata }))
      .filter((item) => plan.minScore === undefined || item.score >= plan.minScore)
      .sort((a, b) => b.score - a.score)
      .slice(0, plan.topK);
    return { results };
  }
}
