import { crimes } from '../core/datasets/crimes.js';
import { sodaTypesOf } from '../testing/synthetic-rows.js';

/** The SODA column types of the crimes resource, from its definition. */
export const serveFixtureTypes = sodaTypesOf(crimes);
