import { SearchTextDto as SharedSearchTextDto } from '@imgsearch/search-api';
import type { WhereFilter } from '@imgsearch/vector-store';
import { WhereGrammar } from '../../http/where-grammar.decorator';

/** The shared text search, `where` checked against Chroma's grammar. */
export class SearchTextDto extends SharedSearchTextDto {
  @WhereGrammar()
  declare where?: WhereFilter;
}
