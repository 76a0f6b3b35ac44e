import { SearchOptionsDto as SharedSearchOptionsDto } from '@imgsearch/search-api';
import type { WhereFilter } from '@imgsearch/vector-store';
import { WhereGrammar } from '../../http/where-grammar.decorator';

/** The shared search options, `where` checked against Chroma's grammar. */
export class SearchOptionsDto extends SharedSearchOptionsDto {
  @WhereGrammar()
  declare where?: WhereFilter;
}
