import { ItemsQueryDto as SharedItemsQueryDto } from '@imgsearch/search-api';
import type { WhereFilter } from '@imgsearch/vector-store';
import { WhereGrammar } from '../../http/where-grammar.decorator';

/** The shared items query, `where` checked against Chroma's grammar. */
export class ItemsQueryDto extends SharedItemsQueryDto {
  @WhereGrammar()
  declare where?: WhereFilter;
}
