import type { Knex } from 'knex';
import { trackAggregatesSql, untrackAggregatesSql } from '../core/aggregate/rollups.js';
import { execAll } from '../core/db/migrate.js';

// Food inspections' writes mark their days for the aggregate rollups too (see
// 202612062330-aggregate-rollups), so its grouped counts are served from them like the others'.
// A new dataset with a time column does the same in its own migration.
export async function up(knex: Knex): Promise<void> {
  await execAll(knex, trackAggregatesSql('food-inspections', 'food_inspections', 'inspection_date'));
}

export async function down(knex: Knex): Promise<void> {
  await execAll(knex, untrackAggregatesSql('food-inspections', 'food_inspections'));
}
