import type { AppDeps } from '../deps.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { parseTimeRange } from '../local-time.js';
import type { Handler } from '../operations.js';

const CURSOR_SCOPE = 'crimes:date-desc';

/** Newest first by `date`, then `id`; keyset paging keeps deep pages as cheap as the first. */
export function listCrimes({ db }: AppDeps): Handler<'listCrimes'> {
  return async ({ query }) => {
    const limit = query.limit ?? 100;
    const range = parseTimeRange(query.from, query.to);
    const rows = db.knex('api.crimes').select('*');
    if (range.from) rows.where('date', '>=', range.from);
    if (range.to) rows.where('date', '<', range.to);
    if (query.primary_type?.length) rows.whereIn('primary_type', query.primary_type);
    if (query.cursor) {
      const [date, id] = decodeCursor(CURSOR_SCOPE, query.cursor, 2) as [string | null, number];
      if (date === null) {
        rows.whereNull('date').where('id', '<', id);
      } else {
        rows.where((where) => where.whereRaw('(date, id) < (?::timestamp, ?)', [date, id]).orWhereNull('date'));
      }
    }
    const page = await rows.orderByRaw('date DESC NULLS LAST, id DESC').limit(limit + 1);
    const hasMore = page.length > limit;
    const data = hasMore ? page.slice(0, limit) : page;
    const last = data[data.length - 1];
    return {
      data,
      next_cursor: hasMore && last ? encodeCursor(CURSOR_SCOPE, [last.date, last.id]) : null,
    };
  };
}
