import type { WhereFilter } from '@imgsearch/vector-store';
import { MinScoreField, TopKField, WhereField } from './dto-fields';

/** What every search takes besides its query: in a JSON body, a form or a query string. */
export class SearchOptionsDto {
  @TopKField()
  topK?: number;

  @WhereField()
  where?: WhereFilter;

  @MinScoreField()
  minScore?: number;
}
